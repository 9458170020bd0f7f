import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConnectionList, SavedConnection } from '../../../shared/contract/connections';
import type { SecretCipher } from '../../../electron/connections/encrypted-secret-store';
import { domainList } from '../../../electron/libvirt/facade/domain';
import { findExecutable } from '../../harness/find-executable';
import { startLoopbackSshd, type LoopbackSshd } from '../../harness/loopback-sshd';
import { runCommand } from '../../harness/run-command';
import { startApp, type AppUnderTest } from './connection-test-support';
import { socketQuery, startUnixRelay } from './unix-relay';

/**
 * Saved SSH connections against a real OpenSSH server on loopback and the harness daemon:
 * key and password logins, host keys (unknown → asked, changed → refused), ProxyJump, and
 * what is kept where. Every question is answered through 'connection:answerPrompt', as
 * the UI's modal does.
 */
const libvirtd = inject('libvirtd');
let sshd: LoopbackSshd;
let relay: Awaited<ReturnType<typeof startUnixRelay>>;
let scratch = '';
const apps: AppUnderTest[] = [];

beforeAll(async () => {
  sshd = await startLoopbackSshd({ passwordUser: true });
  relay = await startUnixRelay(libvirtd.socketPath);
  scratch = await mkdtemp(path.join(os.tmpdir(), 'vd-conn-ssh-'));
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
});

afterAll(async () => {
  await relay?.stop();
  await sshd?.stop();
  await rm(scratch, { recursive: true, force: true });
});

async function app(options: Parameters<typeof startApp>[0] = {}): Promise<AppUnderTest> {
  const started = await startApp(options);
  apps.push(started);
  return started;
}

async function knownHosts(a: AppUnderTest, text: string | null): Promise<string> {
  const file = path.join(a.home, '.ssh', 'known_hosts');
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  if (text !== null) await writeFile(file, text);
  return file;
}

/** Key login as the sshd's own user, straight to the harness socket. */
function keyConnection(extra: Record<string, unknown> = {}) {
  return {
    alias: 'by-key',
    uri: `qemu+ssh://${sshd.user}@127.0.0.1:${sshd.port}/session?socket=${socketQuery(libvirtd.socketPath)}`,
    ssh: { useAgent: false, identityFile: sshd.clientKeyPath },
    ...extra,
  };
}

function passwordUser(): { name: string; password: string } {
  const user = sshd.passwordUser;
  if (!user) throw new Error(`no password user: ${sshd.passwordUserSkipped ?? 'unknown'}`);
  return user;
}

function passwordConnection() {
  const user = passwordUser();
  return {
    alias: 'by-password',
    uri: `test+ssh://${user.name}@127.0.0.1:${sshd.port}/default?socket=${socketQuery(relay.path)}`,
    ssh: { useAgent: false },
  };
}

/** Real AES-256-GCM standing in for the OS keyring, which plain Node does not have. */
function testKeyring(key: Buffer): SecretCipher {
  return {
    isAvailable: async () => true,
    encrypt: async (text) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt: async (data) => {
      const bytes = Buffer.from(data);
      const d = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      d.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([d.update(bytes.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

const isRoot = process.getuid?.() === 0;

describe('SSH connections', () => {
  it('key auth, connected by alias, with no question asked', async () => {
    const a = await app();
    await knownHosts(a, `${sshd.knownHostsLine}\n`);
    const saved = await a.ok<SavedConnection>('connection:add', keyConnection());
    expect(await a.ok('connection:connect', { id: saved.id })).toMatchObject({
      status: 'connected',
    });
    expect(a.prompts).toEqual([]);
    const client = a.services.connections.client(saved.id);
    expect(client?.driverUri).toBe('qemu:///session');
    expect(client && Array.isArray(await domainList(client))).toBe(true);
  });

  it('ProxyJump: through the server to itself, each hop checked and authenticated', async () => {
    const a = await app();
    await knownHosts(a, `${sshd.knownHostsLine}\n`);
    const saved = await a.ok<SavedConnection>(
      'connection:add',
      keyConnection({
        alias: 'jumped',
        ssh: {
          useAgent: false,
          identityFile: sshd.clientKeyPath,
          proxyJump: `${sshd.user}@127.0.0.1:${sshd.port}`,
        },
      }),
    );
    expect(await a.ok('connection:connect', { id: saved.id })).toMatchObject({
      status: 'connected',
    });
    expect(a.prompts).toEqual([]);
  });

  it.skipIf(!isRoot)(
    'password auth through the prompt; remembered encrypted, never in connections.json',
    async () => {
      const user = passwordUser();
      const key = randomBytes(32);
      const configDir = await mkdtemp(path.join(scratch, 'cfg-'));
      const home = await mkdtemp(path.join(scratch, 'home-'));
      const first = await app({ configDir, home, secretCipher: testKeyring(key) });
      await knownHosts(first, `${sshd.knownHostsLine}\n`);
      const saved = await first.ok<SavedConnection>('connection:add', passwordConnection());
      expect((await first.ok<ConnectionList>('connection:list', {})).secretsPersistent).toBe(true);
      const connecting = first.call('connection:connect', { id: saved.id });
      const prompt = await first.answerNextPrompt(saved.id, {
        action: 'answer',
        answer: user.password,
        remember: true,
      });
      expect(prompt).toMatchObject({ kind: 'password', alias: 'by-password', canRemember: true });
      expect(await connecting).toMatchObject({ ok: true });

      const files = await readdir(configDir);
      expect(files.sort()).toEqual(['connection-secrets.bin', 'connections.json']);
      for (const name of files) {
        const bytes = await readFile(path.join(configDir, name));
        expect(bytes.includes(Buffer.from(user.password)), name).toBe(false);
      }
      const grep = await runCommand(findExecutable('grep'), ['-r', '-F', user.password, configDir]);
      expect(grep.code).toBe(1); // not found anywhere

      // A restart: the remembered password is used, nobody is asked.
      await first.stop();
      apps.splice(apps.indexOf(first), 1);
      const again = await app({ configDir, home, secretCipher: testKeyring(key) });
      expect(await again.ok('connection:connect', { id: saved.id })).toMatchObject({
        status: 'connected',
      });
      expect(again.prompts).toEqual([]);
    },
  );

  it.skipIf(!isRoot)(
    'a wrong password is asked again, then fails with ssh’s reason; cancel stops at once',
    async () => {
      const a = await app();
      await knownHosts(a, `${sshd.knownHostsLine}\n`);
      const saved = await a.ok<SavedConnection>('connection:add', passwordConnection());
      const connecting = a.call('connection:connect', { id: saved.id });
      for (let i = 0; i < 3; i++) {
        await a.answerNextPrompt(saved.id, { action: 'answer', answer: `wrong-${i}` });
      }
      const result = await connecting;
      expect(result).toMatchObject({ ok: false, error: { kind: 'transport' } });
      if (!result.ok)
        expect(result.error.message).toMatch(/Authentication failed for .*Tried: password/);
      expect(
        a.prompts.map((p) => p.kind === 'password' && p.prompt.endsWith('(try again):')),
      ).toEqual([false, true, true]);
      expect(a.states.at(-1)?.state).toMatchObject({ status: 'failed', reason: 'auth-failed' });

      const cancelled = a.call('connection:connect', { id: saved.id });
      await a.answerNextPrompt(saved.id, { action: 'cancel' });
      expect(await cancelled).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/cancelled/) },
      });
      expect(a.states.at(-1)?.state).toMatchObject({ status: 'failed', reason: 'auth-cancelled' });
      expect(a.prompts).toHaveLength(4);
    },
  );

  it('an unknown host key is shown with its SHA256 fingerprint; accepting records it', async () => {
    const a = await app();
    const file = await knownHosts(a, null);
    const saved = await a.ok<SavedConnection>('connection:add', keyConnection());
    const connecting = a.call('connection:connect', { id: saved.id });
    const prompt = await a.answerNextPrompt(saved.id, { action: 'accept' });
    expect(prompt).toMatchObject({
      kind: 'host-key',
      connectionId: saved.id,
      alias: 'by-key',
      host: '127.0.0.1',
      port: sshd.port,
      keyType: 'ssh-ed25519',
      fingerprint: sshd.hostKeyFingerprintSha256,
    });
    expect(await connecting).toMatchObject({ ok: true, value: { status: 'connected' } });
    expect(await readFile(file, 'utf8')).toBe(`${sshd.knownHostsLine}\n`);
    expect(a.statesOf(saved.id)).toEqual(['connecting', 'auth-needed', 'connecting', 'connected']);
  });

  it('an unknown host key refused: nothing recorded, the connection fails and is not retried', async () => {
    const a = await app();
    const file = await knownHosts(a, null);
    const saved = await a.ok<SavedConnection>('connection:add', keyConnection());
    const connecting = a.call('connection:connect', { id: saved.id });
    await a.answerNextPrompt(saved.id, { action: 'cancel' });
    const result = await connecting;
    expect(result).toMatchObject({ ok: false, error: { kind: 'transport' } });
    if (!result.ok)
      expect(result.error.message).toContain(
        `${sshd.hostKeyFingerprintSha256} of 127.0.0.1:${sshd.port} was not accepted`,
      );
    expect(a.states.at(-1)?.state).toMatchObject({ status: 'failed', reason: 'host-key-rejected' });
    expect(existsSync(file)).toBe(false);
  });

  it('a changed host key is refused with a warning, without asking anyone', async () => {
    const a = await app();
    const keygen = findExecutable('ssh-keygen', 'install openssh-client');
    const other = path.join(scratch, `other-${Date.now()}`);
    expect((await runCommand(keygen, ['-q', '-t', 'ed25519', '-N', '', '-f', other])).code).toBe(0);
    const otherKey = (await readFile(`${other}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
    const line = `[127.0.0.1]:${sshd.port} ${otherKey}\n`;
    const file = await knownHosts(a, line);
    const saved = await a.ok<SavedConnection>('connection:add', keyConnection());
    const result = await a.call('connection:connect', { id: saved.id });
    expect(result).toMatchObject({ ok: false, error: { kind: 'transport' } });
    if (!result.ok) {
      expect(result.error.message).toMatch(
        /WARNING: the ssh-ed25519 host key of 127\.0\.0\.1:\d+ has CHANGED/,
      );
      expect(result.error.message).toContain(sshd.hostKeyFingerprintSha256);
    }
    expect(a.prompts).toEqual([]);
    expect(a.states.at(-1)?.state).toMatchObject({ status: 'failed', reason: 'host-key-changed' });
    expect(await readFile(file, 'utf8')).toBe(line);
  });

  it('a wrong port fails with ssh’s message naming it', async () => {
    const a = await app();
    await knownHosts(a, `${sshd.knownHostsLine}\n`);
    const saved = await a.ok<SavedConnection>('connection:add', {
      alias: 'wrong-port',
      uri: 'qemu+ssh://root@127.0.0.1:1/system',
      ssh: { useAgent: false },
    });
    const result = await a.call('connection:connect', { id: saved.id });
    expect(result).toMatchObject({
      ok: false,
      error: {
        kind: 'transport',
        message: expect.stringContaining('Connection to 127.0.0.1:1 refused'),
      },
    });
    expect(a.states.at(-1)?.state).toMatchObject({
      status: 'failed',
      reason: 'connection-refused',
    });
  });
});
