import { afterEach, describe, expect, it } from 'vitest';
import { TransportError } from '../../../../electron/libvirt/errors';
import { openConnection } from '../../../../electron/libvirt/open-connection';
import { remoteProcedures } from '../../../../electron/libvirt/protocol/remote.gen';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../../../harness/private-libvirtd';

// Each test kills or freezes its OWN daemon, never the shared one.
let daemon: PrivateLibvirtd | undefined;

afterEach(async () => {
  if (daemon) {
    try {
      process.kill(daemon.pid, 'SIGCONT');
    } catch {
      // already gone
    }
    await daemon.stop();
    daemon = undefined;
  }
});

const hermetic = { config: null, env: {} } as const;

describe('when the daemon dies or hangs', () => {
  it('fails every pending call promptly with a TransportError when the daemon is killed mid-call', async () => {
    daemon = await startPrivateLibvirtd({ idleTimeoutSec: 120 });
    const conn = await openConnection(daemon.uri('test'), hermetic);
    const closed = new Promise<TransportError>((resolve) => conn.rpc.once('closed', resolve));
    // Freeze the daemon so the calls are truly in flight, then kill it.
    process.kill(daemon.pid, 'SIGSTOP');
    const calls = Array.from({ length: 8 }, () =>
      conn.rpc.call(remoteProcedures.CONNECT_GET_URI, undefined),
    );
    const settled = Promise.allSettled(calls);
    let done = false;
    void settled.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(done).toBe(false);
    const t0 = performance.now();
    process.kill(daemon.pid, 'SIGKILL');
    const results = await settled;
    const elapsedMs = performance.now() - t0;
    expect(elapsedMs).toBeLessThan(1000);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason as TransportError;
      expect(err).toBeInstanceOf(TransportError);
      expect(err.reason).toBe('eof');
      expect(err.message).toMatch(/libvirt-sock: the daemon closed the connection/);
    }
    expect((await closed).reason).toBe('eof');
    console.log(`[rpc failure] 8 pending calls rejected ${elapsedMs.toFixed(0)} ms after SIGKILL`);
  });

  it('notices a frozen daemon through keepalive and fails pending calls', async () => {
    daemon = await startPrivateLibvirtd({ idleTimeoutSec: 120 });
    const conn = await openConnection(daemon.uri('test'), {
      ...hermetic,
      rpc: { keepaliveIntervalMs: 200, keepaliveCount: 3 },
    });
    expect(conn.features.keepalive).toBe(true);
    // Healthy daemon: keepalive keeps an idle connection open.
    await new Promise((r) => setTimeout(r, 1000));
    expect(conn.rpc.closed).toBe(false);
    process.kill(daemon.pid, 'SIGSTOP');
    const t0 = performance.now();
    const pending = conn.rpc.call(remoteProcedures.CONNECT_GET_URI, undefined);
    const err = await pending.catch((e: unknown) => e);
    const elapsedMs = performance.now() - t0;
    expect(err).toMatchObject({ name: 'TransportError', reason: 'keepalive' });
    expect(elapsedMs).toBeGreaterThan(400);
    expect(elapsedMs).toBeLessThan(1500);
    console.log(
      `[rpc failure] frozen daemon detected by keepalive after ${elapsedMs.toFixed(0)} ms`,
    );
  });
});
