import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSshTransport } from '../../../../electron/libvirt/transport/ssh-transport';
import { SshSessionPool } from '../../../../electron/ssh/ssh-session-pool';
import { findFreeLoopbackPort } from '../../../harness/free-port';
import { startLoopbackSshd } from '../../../harness/loopback-sshd';
import type { LoopbackSshd } from '../../../harness/loopback-sshd';
import {
  failureOf,
  generateKey,
  runOnSession,
  scriptedPrompter,
  sshOptionsFor as sessionOptions,
} from './ssh-test-support';

/** ProxyJump chains and connection failures, against real OpenSSH servers on loopback. */
let sshd: LoopbackSshd;
let second: LoopbackSshd;
let noForwarding: LoopbackSshd;
let dir = '';

const newKey = (name: string) => generateKey(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vd-ssh-jump-'));
  [sshd, second, noForwarding] = await Promise.all([
    startLoopbackSshd(),
    startLoopbackSshd(),
    startLoopbackSshd({ allowTcpForwarding: false }),
  ]);
});

afterAll(async () => {
  await Promise.all([sshd?.stop(), second?.stop(), noForwarding?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe('network errors name the host and port', () => {
  it('connection refused', async () => {
    const port = await findFreeLoopbackPort();
    const error = await failureOf(
      openSshTransport(sessionOptions(sshd, { port }), new SshSessionPool()),
    );
    expect(error.reason).toBe('connection-refused');
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it('a server that never speaks SSH times out', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const started = performance.now();
      const error = await failureOf(
        openSshTransport(sessionOptions(sshd, { port, readyTimeoutMs: 400 }), new SshSessionPool()),
      );
      expect(error.reason).toBe('timeout');
      expect(error.message).toContain(`127.0.0.1:${port}`);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });

  it('invalid host names are refused before any connection', async () => {
    const error = await failureOf(
      openSshTransport(
        sessionOptions(sshd, { host: '-oProxyCommand=touch' }),
        new SshSessionPool(),
      ),
    );
    expect(error.reason).toBe('invalid-input');
  });
});

describe('ProxyJump', () => {
  it('reaches a host through a jump host; every hop’s key is checked', async () => {
    // known_hosts knows the jump host only: the target's key must be asked about.
    const knownHostsFile = join(dir, 'jump_known_hosts');
    await writeFile(knownHostsFile, `${sshd.knownHostsLine}\n`);
    const { prompter, log } = scriptedPrompter({ acceptHostKey: true });
    const options = sessionOptions(second, {
      knownHostsFile,
      prompter,
      identityFiles: [sshd.clientKeyPath, second.clientKeyPath],
      jumpHosts: [{ host: sshd.host, port: sshd.port, username: sshd.user }],
    });
    expect(await runOnSession(options, 'echo through-jump')).toBe('through-jump');
    expect(log.hostKeys.map((k) => [k.port, k.fingerprintSha256])).toEqual([
      [second.port, second.hostKeyFingerprintSha256],
    ]);
    expect(await readFile(knownHostsFile, 'utf8')).toBe(
      `${sshd.knownHostsLine}\n${second.knownHostsLine}\n`,
    );
  });

  it('a changed key on the jump host stops the chain there', async () => {
    const impostor = await newKey('impostor_jump');
    const knownHostsFile = join(dir, 'jump_changed_known_hosts');
    await writeFile(
      knownHostsFile,
      `[127.0.0.1]:${sshd.port} ${impostor.publicKey}\n${second.knownHostsLine}\n`,
    );
    const error = await failureOf(
      runOnSession(
        sessionOptions(second, {
          knownHostsFile,
          identityFiles: [sshd.clientKeyPath, second.clientKeyPath],
          jumpHosts: [{ host: sshd.host, port: sshd.port, username: sshd.user }],
        }),
        'true',
      ),
    );
    expect(error.reason).toBe('host-key-changed');
    expect(error.message).toContain(`127.0.0.1:${sshd.port}`);
  });

  it('a jump host that forbids forwarding gives a clear error', async () => {
    const knownHostsFile = join(dir, 'jump_noforward_known_hosts');
    await writeFile(knownHostsFile, `${noForwarding.knownHostsLine}\n${second.knownHostsLine}\n`);
    const error = await failureOf(
      runOnSession(
        sessionOptions(second, {
          knownHostsFile,
          identityFiles: [noForwarding.clientKeyPath, second.clientKeyPath],
          jumpHosts: [
            { host: noForwarding.host, port: noForwarding.port, username: noForwarding.user },
          ],
        }),
        'true',
      ),
    );
    expect(error.reason).toBe('jump-forward');
    expect(error.message).toContain(
      `Jump host ${noForwarding.user}@127.0.0.1:${noForwarding.port}`,
    );
    expect(error.message).toContain(`127.0.0.1:${second.port}`);
  });
});
