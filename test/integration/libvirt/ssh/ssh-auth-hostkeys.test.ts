import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable } from '../../../harness/find-executable';
import { startLoopbackSshd } from '../../../harness/loopback-sshd';
import type { LoopbackSshd } from '../../../harness/loopback-sshd';
import { terminateProcess } from '../../../harness/process-control';
import { runCommand } from '../../../harness/run-command';
import { waitFor } from '../../../harness/wait-for';
import {
  failureOf,
  generateKey,
  runOnSession,
  scriptedPrompter,
  sshOptionsFor as sessionOptions,
} from './ssh-test-support';

/**
 * Host-key checking and authentication against real OpenSSH servers on loopback. These
 * cases only need an authenticated session, so they open SshSessions (and a harmless
 * `exec`) rather than a libvirt channel.
 */
let sshd: LoopbackSshd;
let withPassword: LoopbackSshd;
let dir = '';
let keygen = '';

const newKey = (name: string, passphrase = '') => generateKey(dir, name, passphrase);

beforeAll(async () => {
  keygen = findExecutable('ssh-keygen', 'install openssh-client');
  dir = await mkdtemp(join(tmpdir(), 'vd-ssh-auth-'));
  [sshd, withPassword] = await Promise.all([
    startLoopbackSshd(),
    startLoopbackSshd({ passwordUser: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([sshd?.stop(), withPassword?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe('host keys', () => {
  it('a known host key connects without asking anyone', async () => {
    const { prompter, log } = scriptedPrompter({});
    expect(await runOnSession(sessionOptions(sshd, { prompter }), 'echo connected')).toBe(
      'connected',
    );
    expect(log.hostKeys).toEqual([]);
  });

  it('an unknown host asks with OpenSSH’s SHA256 fingerprint; accepting records it', async () => {
    const knownHostsFile = join(dir, 'accept', '.ssh', 'known_hosts');
    const { prompter, log } = scriptedPrompter({ acceptHostKey: true });
    expect(await runOnSession(sessionOptions(sshd, { prompter, knownHostsFile }), 'echo ok')).toBe(
      'ok',
    );
    expect(log.hostKeys).toEqual([
      {
        host: '127.0.0.1',
        port: sshd.port,
        keyType: 'ssh-ed25519',
        fingerprintSha256: sshd.hostKeyFingerprintSha256,
      },
    ]);
    expect(await readFile(knownHostsFile, 'utf8')).toBe(`${sshd.knownHostsLine}\n`);
    expect((await stat(knownHostsFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'accept', '.ssh'))).mode & 0o777).toBe(0o700);
    // OpenSSH itself accepts what we wrote.
    const found = await runCommand(keygen, [
      '-F',
      `[127.0.0.1]:${sshd.port}`,
      '-f',
      knownHostsFile,
    ]);
    expect(found.code).toBe(0);
    // The next connection trusts it without a question.
    const again = scriptedPrompter({});
    await runOnSession(sessionOptions(sshd, { prompter: again.prompter, knownHostsFile }), 'true');
    expect(again.log.hostKeys).toEqual([]);
  });

  it('refusing an unknown host key fails clearly and writes nothing', async () => {
    const knownHostsFile = join(dir, 'refuse_known_hosts');
    const { prompter, log } = scriptedPrompter({ acceptHostKey: false });
    const error = await failureOf(
      runOnSession(sessionOptions(sshd, { prompter, knownHostsFile }), 'true'),
    );
    expect(error.reason).toBe('host-key-rejected');
    expect(error.message).toContain(sshd.hostKeyFingerprintSha256);
    expect(log.hostKeys).toHaveLength(1);
    await expect(stat(knownHostsFile)).rejects.toThrow(/ENOENT/);
  });

  it('an unknown host with no prompter is refused', async () => {
    const knownHostsFile = join(dir, 'nobody_known_hosts');
    const error = await failureOf(runOnSession(sessionOptions(sshd, { knownHostsFile }), 'true'));
    expect(error.reason).toBe('host-key-unknown');
    expect(error.message).toContain(`127.0.0.1:${sshd.port}`);
  });

  it('a CHANGED host key is refused without asking, naming file and line, file untouched', async () => {
    const other = await newKey('impostor_host_key');
    const knownHostsFile = join(dir, 'changed_known_hosts');
    const content = `# managed by hand\n[127.0.0.1]:${sshd.port} ${other.publicKey}\n`;
    await writeFile(knownHostsFile, content);
    const { prompter, log } = scriptedPrompter({ acceptHostKey: true });
    const error = await failureOf(
      runOnSession(sessionOptions(sshd, { prompter, knownHostsFile }), 'true'),
    );
    expect(error.reason).toBe('host-key-changed');
    expect(error.message).toContain(`${knownHostsFile} line 2`);
    expect(error.message).toContain(sshd.hostKeyFingerprintSha256);
    expect(log.hostKeys).toEqual([]);
    expect(await readFile(knownHostsFile, 'utf8')).toBe(content);
  });

  it('a @revoked host key is refused', async () => {
    const knownHostsFile = join(dir, 'revoked_known_hosts');
    await writeFile(knownHostsFile, `${sshd.knownHostsLine}\n@revoked * ${sshd.hostPublicKey}\n`);
    const error = await failureOf(runOnSession(sessionOptions(sshd, { knownHostsFile }), 'true'));
    expect(error.reason).toBe('host-key-revoked');
    expect(error.message).toContain('line 2');
  });

  it('a hashed known_hosts entry (ssh-keygen -H) is trusted', async () => {
    const knownHostsFile = join(dir, 'hashed_known_hosts');
    await writeFile(knownHostsFile, `${sshd.knownHostsLine}\n`);
    expect((await runCommand(keygen, ['-H', '-f', knownHostsFile])).code).toBe(0);
    expect(await readFile(knownHostsFile, 'utf8')).toMatch(/^\|1\|/);
    expect(await runOnSession(sessionOptions(sshd, { knownHostsFile }), 'echo hashed')).toBe(
      'hashed',
    );
  });
});

describe('authentication', () => {
  it('a key the server does not know fails, listing what was tried', async () => {
    const stranger = await newKey('stranger');
    const error = await failureOf(
      runOnSession(
        sessionOptions(sshd, { identityFiles: [stranger.path, join(dir, 'missing_key')] }),
        'true',
      ),
    );
    expect(error.reason).toBe('auth-failed');
    expect(error.message).toContain(
      `Authentication failed for ${sshd.user}@127.0.0.1:${sshd.port}`,
    );
    expect(error.message).toMatch(new RegExp(`refused key\\(s\\): ${stranger.path} \\(SHA256:`));
    expect(error.message).toContain(`${join(dir, 'missing_key')} skipped: file not found`);
    expect(error.message).toContain('The server accepts: publickey');
  });

  it('authenticates with a key held by a real ssh-agent', async () => {
    const socket = join(dir, 'agent.sock');
    const agent = spawn(
      findExecutable('ssh-agent', 'install openssh-client'),
      ['-D', '-a', socket],
      {
        stdio: 'ignore',
      },
    );
    try {
      await waitFor(() => (existsSync(socket) ? true : undefined), {
        what: 'ssh-agent socket',
        timeoutMs: 5_000,
      });
      const added = await runCommand(findExecutable('ssh-add'), [sshd.clientKeyPath], {
        env: { SSH_AUTH_SOCK: socket, PATH: process.env['PATH'] },
      });
      expect(added.code, added.stderr).toBe(0);
      const options = sessionOptions(sshd, { agent: socket, identityFiles: [] });
      expect(await runOnSession(options, 'echo via-agent')).toBe('via-agent');
      // Without the agent, the same options have nothing to offer.
      const error = await failureOf(runOnSession({ ...options, agent: null }, 'true'));
      expect(error.message).toContain('Nothing could be tried');
    } finally {
      if (agent.pid !== undefined) await terminateProcess(agent.pid, 2_000);
    }
  });

  it('an ssh-agent that is not there is noted, and the identity file still works', async () => {
    const options = sessionOptions(sshd, { agent: join(dir, 'no-agent.sock') });
    expect(await runOnSession(options, 'echo via-key')).toBe('via-key');
  });

  it('an encrypted key asks for its passphrase again when wrong, then works', async () => {
    const locked = await newKey('locked', 'correct horse');
    await appendFile(join(sshd.dir, 'authorized_keys.d', sshd.user), `${locked.pub}\n`);
    const { prompter, log } = scriptedPrompter({
      secrets: ['wrong', 'also wrong', 'correct horse'],
    });
    const options = sessionOptions(sshd, { identityFiles: [locked.path], prompter });
    expect(await runOnSession(options, 'echo unlocked')).toBe('unlocked');
    expect(log.secrets.map((s) => s.kind)).toEqual(['passphrase', 'passphrase', 'passphrase']);
    expect(log.secrets[0]?.prompt).toContain(locked.path);
    expect(log.secrets[1]?.prompt).toContain('wrong passphrase');
  });

  it('three wrong passphrases end with a clear error; cancel is "authentication cancelled"', async () => {
    const locked = await newKey('locked2', 'secret');
    const wrong = scriptedPrompter({ secrets: ['a', 'b', 'c'] });
    const error = await failureOf(
      runOnSession(
        sessionOptions(sshd, { identityFiles: [locked.path], prompter: wrong.prompter }),
        'true',
      ),
    );
    expect(error.reason).toBe('passphrase');
    expect(error.message).toContain(`Wrong passphrase for ${locked.path} (3 attempts)`);
    const cancel = scriptedPrompter({ secrets: [null] });
    const cancelled = await failureOf(
      runOnSession(
        sessionOptions(sshd, { identityFiles: [locked.path], prompter: cancel.prompter }),
        'true',
      ),
    );
    expect(cancelled.reason).toBe('auth-cancelled');
    expect(cancelled.message).toMatch(/Authentication cancelled/);
  });

  describe('password', () => {
    it.skipIf(!process.getuid || process.getuid() !== 0)(
      'logs in with a password asked through the prompter (needs root for the throwaway user)',
      async () => {
        const user = withPassword.passwordUser;
        if (!user)
          throw new Error(`password user missing: ${withPassword.passwordUserSkipped ?? '?'}`);
        const { prompter, log } = scriptedPrompter({ secrets: ['not it', user.password] });
        const options = sessionOptions(withPassword, {
          username: user.name,
          identityFiles: [],
          prompter,
        });
        expect(await runOnSession(options, 'id -un')).toBe(user.name);
        expect(log.secrets.map((s) => s.kind)).toEqual(['password', 'password']);
        expect(log.secrets[0]).toMatchObject({ echo: false });
        expect(log.secrets[0]?.prompt).toContain(`${user.name}@127.0.0.1:${withPassword.port}`);
      },
    );

    it.skipIf(!process.getuid || process.getuid() !== 0)(
      'wrong passwords and cancel fail clearly',
      async () => {
        const user = withPassword.passwordUser;
        if (!user)
          throw new Error(`password user missing: ${withPassword.passwordUserSkipped ?? '?'}`);
        const wrong = scriptedPrompter({ secrets: ['x', 'y', 'z'] });
        const error = await failureOf(
          runOnSession(
            sessionOptions(withPassword, {
              username: user.name,
              identityFiles: [],
              prompter: wrong.prompter,
            }),
            'true',
          ),
        );
        expect(error.reason).toBe('auth-failed');
        expect(error.message).toMatch(/Tried: password\./);
        expect(wrong.log.secrets).toHaveLength(3);
        const cancel = scriptedPrompter({ secrets: [null] });
        const cancelled = await failureOf(
          runOnSession(
            sessionOptions(withPassword, {
              username: user.name,
              identityFiles: [],
              prompter: cancel.prompter,
            }),
            'true',
          ),
        );
        expect(cancelled.reason).toBe('auth-cancelled');
      },
    );
  });
});
