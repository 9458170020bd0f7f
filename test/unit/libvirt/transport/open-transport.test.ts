import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InvalidUriError, TransportError } from '../../../../electron/libvirt/errors';
import {
  openTransport,
  sshTransportOptions,
} from '../../../../electron/libvirt/transport/open-transport';
import type {
  SshTransportOptions,
  Transport,
} from '../../../../electron/libvirt/transport/transport-types';
import type { LibvirtClientConfig } from '../../../../electron/libvirt/uri/libvirt-conf';
import { parseLibvirtUri } from '../../../../electron/libvirt/uri/libvirt-uri';

const conf = (over: Partial<LibvirtClientConfig>): LibvirtClientConfig => ({
  file: 'libvirt.conf',
  uriDefault: null,
  uriAliases: [],
  remoteMode: null,
  remoteProxy: null,
  ...over,
});

describe('sshTransportOptions', () => {
  it('maps user, host, port, keyfile, known_hosts, socket, mode, proxy, netcat and the driver URI', () => {
    const uri = parseLibvirtUri(
      'qemu+ssh://admin@[::1]:2222/system?keyfile=/k/id&known_hosts=/k/kh&socket=/run/x-sock' +
        '&mode=direct&proxy=netcat&netcat=/bin/nc&extra=1',
    );
    expect(sshTransportOptions(uri, { readOnly: true })).toEqual({
      host: '::1',
      port: 2222,
      username: 'admin',
      identityFiles: ['/k/id'],
      knownHostsFile: '/k/kh',
      remote: {
        driverUri: 'qemu:///system?extra=1',
        socket: '/run/x-sock',
        mode: 'direct',
        proxy: 'netcat',
        netcat: '/bin/nc',
        readOnly: true,
      },
    });
  });

  it('leaves defaults to the SSH layer and takes remote_mode/remote_proxy from libvirt.conf', () => {
    const uri = parseLibvirtUri('qemu+libssh2://host/session');
    const prompter = { confirmHostKey: async () => false, askSecret: async () => null };
    expect(
      sshTransportOptions(uri, {
        config: conf({ remoteMode: 'legacy', remoteProxy: 'native' }),
        ssh: { prompter, identityFiles: ['/default/key'] },
      }),
    ).toEqual({
      host: 'host',
      prompter,
      identityFiles: ['/default/key'],
      remote: { driverUri: 'qemu:///session', mode: 'legacy', proxy: 'native', readOnly: false },
    });
  });

  it('rejects a bad remote_mode from libvirt.conf like libvirt', () => {
    expect(() =>
      sshTransportOptions(parseLibvirtUri('qemu+ssh://h/system'), {
        config: conf({ remoteProxy: 'socks' }),
      }),
    ).toThrow("Unknown proxy type 'socks'");
  });
});

describe('openTransport', () => {
  it('hands ssh, libssh and libssh2 URIs to the SSH transport', async () => {
    const seen: SshTransportOptions[] = [];
    const fake: Transport = { stream: null as never, description: 'fake', close: () => {} };
    for (const scheme of ['ssh', 'libssh', 'libssh2']) {
      const t = await openTransport(parseLibvirtUri(`qemu+${scheme}://u@h/system`), {
        openSsh: async (o) => {
          seen.push(o);
          return fake;
        },
      });
      expect(t).toBe(fake);
    }
    expect(seen.map((o) => [o.host, o.username, o.remote.driverUri])).toEqual([
      ['h', 'u', 'qemu:///system'],
      ['h', 'u', 'qemu:///system'],
      ['h', 'u', 'qemu:///system'],
    ]);
  });

  it('refuses the ext transport (it would run a command from the URI)', async () => {
    await expect(
      openTransport(parseLibvirtUri('qemu+ext:///system?command=/bin/sh')),
    ).rejects.toThrow(TransportError);
  });

  it('validates remote_mode before connecting a unix socket', async () => {
    await expect(
      openTransport(parseLibvirtUri('qemu:///system'), { config: conf({ remoteMode: 'magic' }) }),
    ).rejects.toThrow(InvalidUriError);
  });

  it('connects qemu+tcp:// to a loopback listener', async () => {
    let accepted: Socket | undefined;
    const server = createServer((s) => (accepted = s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const t = await openTransport(parseLibvirtUri(`qemu+tcp://127.0.0.1:${port}/system`));
      expect(t.description).toBe(`tcp:127.0.0.1:${port}`);
      await expect.poll(() => accepted !== undefined).toBe(true);
      t.close();
    } finally {
      accepted?.destroy();
      server.close();
    }
  });

  it('names host and port when TCP connect fails', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    await expect(
      openTransport(parseLibvirtUri(`qemu+tcp://127.0.0.1:${port}/system`)),
    ).rejects.toThrow(`Failed to connect socket to '127.0.0.1:${port}': Connection refused`);
  });
});
