import { chmod, mkdir } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { remoteProcedures } from '../../../../electron/libvirt/protocol/remote.gen';
import { RpcConnection } from '../../../../electron/libvirt/rpc/rpc-connection';
import { sshSessionOptions } from '../../../../electron/libvirt/transport/ssh-session-options';
import { openSshTransport } from '../../../../electron/libvirt/transport/ssh-transport';
import type {
  SshTransportOptions,
  Transport,
} from '../../../../electron/libvirt/transport/transport-types';
import { SshError } from '../../../../electron/ssh/ssh-error';
import { SshSessionPool } from '../../../../electron/ssh/ssh-session-pool';
import { startLoopbackSshd } from '../../../harness/loopback-sshd';
import type { LoopbackSshd } from '../../../harness/loopback-sshd';
import { waitFor } from '../../../harness/wait-for';
import {
  authListRoundTrip,
  establishedConnectionsTo,
  median,
  scriptedPrompter,
} from './ssh-test-support';

/**
 * The SSH transport against a real OpenSSH server on loopback and the harness's private
 * libvirtd: every case sends a real AUTH_LIST call through the channel and decodes the
 * daemon's reply.
 */
const libvirtd = inject('libvirtd');
let sshd: LoopbackSshd;
let noStreamLocal: LoopbackSshd;
let withPassword: LoopbackSshd;
const isRoot = process.getuid?.() === 0;

function optionsFor(
  server: LoopbackSshd,
  remote: Partial<SshTransportOptions['remote']> = {},
): SshTransportOptions {
  return {
    host: server.host,
    port: server.port,
    username: server.user,
    identityFiles: [server.clientKeyPath],
    agent: null,
    knownHostsFile: server.knownHostsFile,
    remote: { driverUri: 'test:///default', socket: libvirtd.socketPath, ...remote },
  };
}

async function expectAuthListWorks(transport: Transport, serial = 1): Promise<number> {
  const { reply, ms } = await authListRoundTrip(transport.stream, serial);
  expect(reply.header).toMatchObject({ proc: 66, type: 1, status: 0, serial });
  // The private daemon lets root in without SASL/polkit: AUTH_LIST answers [NONE].
  expect(reply.types).toEqual([0]);
  return ms;
}

beforeAll(async () => {
  [sshd, noStreamLocal, withPassword] = await Promise.all([
    startLoopbackSshd(),
    startLoopbackSshd({ allowStreamLocalForwarding: false }),
    startLoopbackSshd({ passwordUser: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([sshd?.stop(), noStreamLocal?.stop(), withPassword?.stop()]);
});

describe('channels to the remote libvirt daemon', () => {
  it('streamlocal (socket= known) carries RPC bytes to the daemon and back', async () => {
    const pool = new SshSessionPool();
    const transport = await openSshTransport(optionsFor(sshd), pool);
    try {
      expect(transport.description).toBe(
        `ssh:${sshd.user}@127.0.0.1:${sshd.port} (streamlocal ${libvirtd.socketPath})`,
      );
      await expectAuthListWorks(transport);
    } finally {
      transport.close();
    }
    expect(pool.size).toBe(0);
  });

  it('exec (nc -U, libvirt’s netcat command) carries RPC bytes too', async () => {
    const pool = new SshSessionPool();
    const transport = await openSshTransport(optionsFor(sshd, { channel: 'exec' }), pool);
    try {
      expect(transport.description).toContain(`(exec nc -U ${libvirtd.socketPath})`);
      await expectAuthListWorks(transport);
    } finally {
      transport.close();
    }
  });

  it('falls back to the exec command when the server refuses streamlocal forwarding', async () => {
    const pool = new SshSessionPool();
    const transport = await openSshTransport(optionsFor(noStreamLocal), pool);
    try {
      expect(transport.description).toContain('(exec nc -U');
      await expectAuthListWorks(transport);
    } finally {
      transport.close();
    }
  });

  it('with channel=streamlocal and no fallback, the refusal is a clear error', async () => {
    const error = await openSshTransport(
      optionsFor(noStreamLocal, { channel: 'streamlocal' }),
      new SshSessionPool(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshError);
    expect((error as SshError).reason).toBe('channel-refused');
    expect((error as SshError).message).toContain(
      `could not open unix socket ${libvirtd.socketPath}: open failed (forwarding disabled`,
    );
  });

  it('reports the remote command’s stderr when the tunnel dies before the daemon answers', async () => {
    const transport = await openSshTransport(
      optionsFor(sshd, { proxy: 'netcat', netcat: 'virtdeck-no-such-nc' }),
      new SshSessionPool(),
    );
    try {
      const error = await authListRoundTrip(transport.stream, 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SshError);
      expect((error as SshError).reason).toBe('remote-command');
      expect((error as SshError).message).toMatch(
        /exit status 127\): .*virtdeck-no-such-nc.*not found/,
      );
    } finally {
      transport.close();
    }
  });

  it('reports a missing daemon socket through nc’s own message', async () => {
    const transport = await openSshTransport(
      optionsFor(sshd, { channel: 'exec', socket: '/nonexistent/virtdeck/libvirt-sock' }),
      new SshSessionPool(),
    );
    try {
      const error = await authListRoundTrip(transport.stream, 1).catch((e: unknown) => e);
      expect((error as SshError).reason).toBe('remote-command');
      expect((error as SshError).message).toMatch(
        /\/nonexistent\/virtdeck\/libvirt-sock: No such file/,
      );
    } finally {
      transport.close();
    }
  });

  it('refuses a malicious socket path before connecting', async () => {
    const before = await establishedConnectionsTo(sshd.port);
    const error = await openSshTransport(
      optionsFor(sshd, { socket: "/tmp/x'; touch /tmp/virtdeck-pwned; '" }),
      new SshSessionPool(),
    ).catch((e: unknown) => e);
    expect((error as SshError).reason).toBe('invalid-input');
    expect(await establishedConnectionsTo(sshd.port)).toBe(before);
  });
});

describe('a whole libvirt connection over SSH', () => {
  it.each(['streamlocal', 'exec'] as const)(
    '%s: RpcConnection opens test:///default, asks its URI and closes cleanly',
    async (channel) => {
      const pool = new SshSessionPool();
      const transport = await openSshTransport(optionsFor(sshd, { channel }), pool);
      const rpc = new RpcConnection(transport);
      try {
        expect(await rpc.call(remoteProcedures.AUTH_LIST, undefined)).toEqual({ types: [0] });
        await rpc.call(remoteProcedures.CONNECT_OPEN, { name: 'test:///default', flags: 0 });
        expect(await rpc.call(remoteProcedures.CONNECT_GET_URI, undefined)).toEqual({
          uri: 'test:///default',
        });
      } finally {
        await rpc.close();
      }
      // CONNECT_CLOSE ends the channel (its reply may be lost to EOF over exec); the
      // session goes with its last channel.
      await waitFor(() => (pool.size === 0 ? true : undefined), {
        what: 'the SSH session to be released',
        timeoutMs: 5_000,
      });
    },
  );
});

describe('automatic choice (no socket=)', () => {
  it('probes, finds no system daemon here, runs libvirt’s command and reports its stderr', async () => {
    // This machine has no system libvirtd (and tests must not create one), so the probe
    // finds nothing under /var/run/libvirt and the exec helper says why it cannot connect.
    const transport = await openSshTransport(
      optionsFor(sshd, { driverUri: 'test:///default', socket: undefined }),
      new SshSessionPool(),
    );
    try {
      expect(transport.description).toContain('(exec virt-ssh-helper or nc)');
      const error = await authListRoundTrip(transport.stream, 1).catch((e: unknown) => e);
      expect((error as SshError).reason).toBe('remote-command');
      expect((error as SshError).message).toMatch(
        /virt-ssh-helper or nc\) on .* ended before the daemon answered \(exit status \d+\): \S/,
      );
    } finally {
      transport.close();
    }
  });

  it.skipIf(!isRoot)(
    'finds a session daemon socket with the probe and goes there by streamlocal (needs root for the throwaway user)',
    async () => {
      const user = withPassword.passwordUser;
      if (!user) throw new Error(`no password user: ${withPassword.passwordUserSkipped ?? '?'}`);
      const { prompter } = scriptedPrompter({ secrets: [user.password, user.password] });
      const options = optionsFor(withPassword, { driverUri: 'qemu:///session', socket: undefined });
      Object.assign(options, { username: user.name, identityFiles: [], prompter });
      const pool = new SshSessionPool();
      // The user's runtime dir (no XDG_RUNTIME_DIR without PAM: ~/.cache/libvirt) gets a
      // socket that relays to the private daemon, as a session libvirtd's would be.
      const home = join(withPassword.dir, `home-${user.name}`);
      const runDir = join(home, '.cache', 'libvirt');
      await mkdir(runDir, { recursive: true, mode: 0o755 });
      await chmod(join(home, '.cache'), 0o755);
      const relay: Server = createServer((client) => {
        const daemon = connect(libvirtd.socketPath);
        client.pipe(daemon).pipe(client);
        client.on('error', () => daemon.destroy());
        daemon.on('error', () => client.destroy());
      });
      const socketPath = join(runDir, 'libvirt-sock');
      await new Promise<void>((resolve) => relay.listen(socketPath, resolve));
      await chmod(socketPath, 0o666);
      try {
        const transport = await openSshTransport(options, pool);
        try {
          expect(transport.description).toBe(
            `ssh:${user.name}@127.0.0.1:${withPassword.port} (streamlocal ${socketPath})`,
          );
          await expectAuthListWorks(transport);
        } finally {
          transport.close();
        }
      } finally {
        relay.close();
      }
    },
  );
});

describe('session sharing', () => {
  it('two transports to one host share one SSH session and one TCP connection', async () => {
    const pool = new SshSessionPool();
    expect(await establishedConnectionsTo(sshd.port)).toBe(0);
    const first = await openSshTransport(optionsFor(sshd), pool);
    const second = await openSshTransport(optionsFor(sshd), pool);
    try {
      expect(pool.size).toBe(1);
      expect(await establishedConnectionsTo(sshd.port)).toBe(1);
      // Interleaved calls on both channels each get their own reply.
      const [a, b] = await Promise.all([
        authListRoundTrip(first.stream, 7),
        authListRoundTrip(second.stream, 8),
      ]);
      expect([a.reply.header.serial, b.reply.header.serial]).toEqual([7, 8]);
    } finally {
      first.close();
    }
    // The session stays while the second channel uses it…
    expect(pool.size).toBe(1);
    await expectAuthListWorks(second, 9);
    second.close();
    // …and ends with the last one.
    expect(pool.size).toBe(0);
    await waitFor(
      async () => ((await establishedConnectionsTo(sshd.port)) === 0 ? true : undefined),
      {
        what: 'the SSH connection to close',
        timeoutMs: 5_000,
      },
    );
  });

  it('when the server goes away, channels end and the session reports why', async () => {
    const doomed = await startLoopbackSshd();
    const pool = new SshSessionPool();
    try {
      const transport = await openSshTransport(optionsFor(doomed), pool);
      await expectAuthListWorks(transport);
      const lease = await pool.acquire(await sshSessionOptions(optionsFor(doomed)));
      const closed = new Promise<SshError | undefined>((resolve) => lease.session.onClose(resolve));
      const streamClosed = new Promise<void>((resolve) =>
        transport.stream.once('close', () => resolve()),
      );
      await doomed.stop();
      const reason = await closed;
      expect(reason).toBeInstanceOf(SshError);
      expect(reason?.reason).toBe('connection-lost');
      expect(reason?.message).toContain(`127.0.0.1:${doomed.port}`);
      await streamClosed;
      expect(pool.size).toBe(0);
      // Releasing afterwards is harmless.
      transport.close();
      lease.release();
    } finally {
      await doomed.stop();
    }
  });

  it('measures one small request: streamlocal vs exec, with setNoDelay', async () => {
    const pool = new SshSessionPool();
    // Hold the session open so both channels below are timed without the SSH handshake.
    const { session, release } = await pool.acquire(await sshSessionOptions(optionsFor(sshd)));
    expect(session.isClosed).toBe(false);
    const timed = async (channel: 'streamlocal' | 'exec') => {
      const started = performance.now();
      const transport = await openSshTransport(optionsFor(sshd, { channel }), pool);
      await expectAuthListWorks(transport, 1);
      return { transport, firstReplyMs: performance.now() - started };
    };
    const viaStreamLocal = await timed('streamlocal');
    const viaExec = await timed('exec');
    try {
      const rounds = 20;
      const stream: number[] = [];
      const exec: number[] = [];
      for (let i = 0; i < rounds; i++) {
        stream.push((await authListRoundTrip(viaStreamLocal.transport.stream, 100 + i)).ms);
        exec.push((await authListRoundTrip(viaExec.transport.stream, 100 + i)).ms);
      }
      const ms = (n: number) => Number(n.toFixed(2));
      const report = {
        streamlocalMedianMs: ms(median(stream)),
        execMedianMs: ms(median(exec)),
        streamlocalOpenPlusFirstReplyMs: ms(viaStreamLocal.firstReplyMs),
        execOpenPlusFirstReplyMs: ms(viaExec.firstReplyMs),
      };
      console.log(`[ssh rtt] AUTH_LIST, ${rounds} calls per channel: ${JSON.stringify(report)}`);
      // Nagle would put every round trip near 40 ms; with setNoDelay both stay far below.
      expect(report.streamlocalMedianMs).toBeLessThan(40);
      expect(report.execMedianMs).toBeLessThan(40);
    } finally {
      viaStreamLocal.transport.close();
      viaExec.transport.close();
      release();
    }
  });
});
