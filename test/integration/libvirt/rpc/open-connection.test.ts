import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LibvirtError, isUnsupportedProcedure } from '../../../../electron/libvirt/errors';
import {
  openConnection,
  type LibvirtConnection,
} from '../../../../electron/libvirt/open-connection';
import {
  VIR_DOMAIN_EVENT_DEFINED,
  VIR_DOMAIN_EVENT_ID_LIFECYCLE,
  VIR_DOMAIN_EVENT_UNDEFINED,
  VIR_ERR_NO_DOMAIN,
  VIR_FROM_QEMU,
} from '../../../../electron/libvirt/protocol/constants.gen';
import { remoteEvents, remoteProcedures } from '../../../../electron/libvirt/protocol/remote.gen';
import { RpcConnection } from '../../../../electron/libvirt/rpc/rpc-connection';
import { openTransport } from '../../../../electron/libvirt/transport/open-transport';
import { parseLibvirtUri } from '../../../../electron/libvirt/uri/libvirt-uri';

const { testUri, qemuUri, socketPath } = inject('libvirtd');
// Hermetic: never read the machine's /etc/libvirt/libvirt.conf.
const hermetic = { config: null, env: {} } as const;

describe('openConnection against the private libvirtd', () => {
  let test: LibvirtConnection;

  beforeAll(async () => {
    test = await openConnection(testUri, hermetic);
  });

  afterAll(async () => {
    await test?.close();
  });

  it('opens test+unix:///default?socket=… and negotiates the features', async () => {
    expect(test.driverUri).toBe('test:///default');
    expect(test.uri.client.socket).toBe(socketPath);
    expect(test.features).toEqual({
      keepalive: true,
      eventCallbacks: true,
      typedParamString: true,
      closeCallback: true,
    });
    await expect(test.rpc.call(remoteProcedures.CONNECT_GET_URI, undefined)).resolves.toEqual({
      uri: 'test:///default',
    });
  });

  it('opens qemu+unix:///session?socket=… (the real QEMU driver)', async () => {
    const qemu = await openConnection(qemuUri, hermetic);
    try {
      expect(qemu.driverUri).toBe('qemu:///session');
      await expect(qemu.rpc.call(remoteProcedures.CONNECT_GET_URI, undefined)).resolves.toEqual({
        uri: 'qemu:///session',
      });
      const { type } = await qemu.rpc.call(remoteProcedures.CONNECT_GET_TYPE, undefined);
      expect(type).toBe('QEMU');
    } finally {
      await qemu.close();
    }
    expect(qemu.rpc.closeReason?.reason).toBe('closed');
  });

  it('answers AUTH_LIST with [NONE] on the session socket (raw RPC, before CONNECT_OPEN)', async () => {
    const transport = await openTransport(parseLibvirtUri(testUri));
    const rpc = new RpcConnection(transport);
    try {
      await expect(rpc.call(remoteProcedures.AUTH_LIST, undefined)).resolves.toEqual({
        types: [0],
      });
    } finally {
      await rpc.close();
    }
  });

  it('reports a missing domain with libvirt code 42 and its message', async () => {
    const qemu = await openConnection(qemuUri, hermetic);
    try {
      const err = await qemu.rpc
        .call(remoteProcedures.DOMAIN_LOOKUP_BY_NAME, { name: 'no-such-vm' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LibvirtError);
      expect(err).toMatchObject({
        libvirt: true,
        code: VIR_ERR_NO_DOMAIN,
        codeName: 'VIR_ERR_NO_DOMAIN',
        domain: VIR_FROM_QEMU,
        level: 2,
        message: "Domain not found: no domain with matching name 'no-such-vm'",
      });
      expect(isUnsupportedProcedure(err)).toBe(false);
    } finally {
      await qemu.close();
    }
  });

  it('serves many concurrent calls, each matched to its own reply', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `rpc-many-${process.pid}-${i}`);
    const defined = await Promise.all(
      names.map((name) =>
        test.rpc.call(remoteProcedures.DOMAIN_DEFINE_XML, {
          xml: `<domain type='test'><name>${name}</name><memory>8192</memory><os><type>hvm</type></os></domain>`,
        }),
      ),
    );
    try {
      const asked = Array.from({ length: 300 }, (_, i) =>
        i % 7 === 3 ? `missing-${i}` : names[(i * 13) % 20]!,
      );
      const results = await Promise.allSettled(
        asked.map((name) => test.rpc.call(remoteProcedures.DOMAIN_LOOKUP_BY_NAME, { name })),
      );
      const wrong = results.flatMap((r, i) => {
        const name = asked[i]!;
        if (name.startsWith('missing-')) {
          return r.status === 'rejected' && (r.reason as LibvirtError).code === VIR_ERR_NO_DOMAIN
            ? []
            : [i];
        }
        return r.status === 'fulfilled' && r.value.dom.name === name ? [] : [i];
      });
      expect(wrong).toEqual([]);
    } finally {
      await Promise.all(
        defined.map(({ dom }) => test.rpc.call(remoteProcedures.DOMAIN_UNDEFINE, { dom })),
      );
    }
  });

  it('measures per-call latency on the unix socket', async () => {
    const call = () => test.rpc.call(remoteProcedures.CONNECT_GET_LIB_VERSION, undefined);
    for (let i = 0; i < 50; i++) await call(); // warm-up
    const n = 2000;
    let t0 = performance.now();
    for (let i = 0; i < n; i++) await call();
    const sequentialUs = ((performance.now() - t0) * 1000) / n;
    t0 = performance.now();
    await Promise.all(Array.from({ length: n }, call));
    const concurrentUs = ((performance.now() - t0) * 1000) / n;
    console.log(
      `[rpc latency] unix socket, CONNECT_GET_LIB_VERSION: sequential ${sequentialUs.toFixed(0)} µs/call, ` +
        `${n} concurrent (4 in flight) ${concurrentUs.toFixed(0)} µs/call`,
    );
    // A loose ceiling: the machine is shared, but a regression to milliseconds must show.
    expect(sequentialUs).toBeLessThan(5000);
    expect(concurrentUs).toBeLessThan(5000);
  });

  it('routes real lifecycle events to listeners', async () => {
    const { callbackID } = await test.rpc.call(
      remoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
      { eventID: VIR_DOMAIN_EVENT_ID_LIFECYCLE, dom: null },
    );
    const seen: Array<[string, number]> = [];
    const off = test.rpc.onEvent(remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE, (m) => {
      if (m.callbackID === callbackID) seen.push([m.msg.dom.name, m.msg.event]);
    });
    try {
      const name = `rpc-event-${process.pid}`;
      const xml =
        `<domain type='test'><name>${name}</name><memory>8192</memory>` +
        `<os><type>hvm</type></os></domain>`;
      const { dom } = await test.rpc.call(remoteProcedures.DOMAIN_DEFINE_XML, { xml });
      await test.rpc.call(remoteProcedures.DOMAIN_UNDEFINE, { dom });
      await expect
        .poll(() => seen)
        .toEqual([
          [name, VIR_DOMAIN_EVENT_DEFINED],
          [name, VIR_DOMAIN_EVENT_UNDEFINED],
        ]);
    } finally {
      off();
      await test.rpc.call(remoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, {
        callbackID,
      });
    }
  });

  it('fails to open a socket nobody listens on, naming the path', async () => {
    const uri = `test+unix:///default?socket=${socketPath}.nothing-here`;
    await expect(openConnection(uri, hermetic)).rejects.toThrow(
      `Failed to connect socket to '${socketPath}.nothing-here': No such file or directory`,
    );
  });
});
