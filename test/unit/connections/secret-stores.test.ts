import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretStore } from '../../../electron/connections/create-secret-store';
import {
  EncryptedSecretStore,
  SECRETS_FILE,
  type SecretCipher,
} from '../../../electron/connections/encrypted-secret-store';
import { MemorySecretStore } from '../../../electron/connections/memory-secret-store';
import { createRecordingLogger } from '../electron/recording-logger';

/**
 * Stands in for the OS keyring (Electron's safeStorage cannot run under plain Node): real
 * AES-256-GCM with a key only this test knows.
 */
function aesCipher(key = randomBytes(32), available = true): SecretCipher {
  return {
    isAvailable: async () => available,
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

describe('secret stores', () => {
  let dir: string;
  const logger = createRecordingLogger();

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-secrets-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps secrets encrypted in their own private file, readable again with the same key', async () => {
    const key = randomBytes(32);
    const store = new EncryptedSecretStore(dir, aesCipher(key), logger);
    await store.set('c1', 'password', 'correct horse battery staple');
    await store.set('c1', 'passphrase', 'pp');
    await store.set('c2', 'password', 'other');
    const raw = await readFile(path.join(dir, SECRETS_FILE));
    expect(raw.includes(Buffer.from('correct horse'))).toBe(false);
    expect(raw.includes(Buffer.from('c1'))).toBe(false);
    expect((await stat(path.join(dir, SECRETS_FILE))).mode & 0o777).toBe(0o600);
    const again = new EncryptedSecretStore(dir, aesCipher(key), logger);
    expect(await again.get('c1', 'password')).toBe('correct horse battery staple');
    await again.delete('c1', 'password');
    expect(await again.get('c1', 'password')).toBeUndefined();
    expect(await again.get('c1', 'passphrase')).toBe('pp');
    await again.delete('c1');
    expect(
      await new EncryptedSecretStore(dir, aesCipher(key), logger).get('c1', 'passphrase'),
    ).toBeUndefined();
    expect(await new EncryptedSecretStore(dir, aesCipher(key), logger).get('c2', 'password')).toBe(
      'other',
    );
  });

  it('moves an undecryptable file aside and asks again instead of failing', async () => {
    await new EncryptedSecretStore(dir, aesCipher(), logger).set('c1', 'password', 'x');
    const other = new EncryptedSecretStore(dir, aesCipher(), logger);
    expect(await other.get('c1', 'password')).toBeUndefined();
    expect((await readdir(dir)).some((n) => n.startsWith(`${SECRETS_FILE}.unreadable-`))).toBe(
      true,
    );
    await writeFile(path.join(dir, SECRETS_FILE), 'garbage');
    expect(
      await new EncryptedSecretStore(dir, aesCipher(), logger).get('c1', 'password'),
    ).toBeUndefined();
  });

  it('uses the keyring only when it really encrypts; otherwise secrets live for the run', async () => {
    expect(await createSecretStore(dir, undefined, logger)).toBeInstanceOf(MemorySecretStore);
    expect(await createSecretStore(dir, aesCipher(undefined, false), logger)).toBeInstanceOf(
      MemorySecretStore,
    );
    const store = await createSecretStore(dir, aesCipher(), logger);
    expect(store).toBeInstanceOf(EncryptedSecretStore);
    expect(store.persistent).toBe(true);
    const memory = new MemorySecretStore();
    expect(memory.persistent).toBe(false);
    await memory.set('c', 'password', 'p');
    expect(await memory.get('c', 'password')).toBe('p');
    await memory.delete('c');
    expect(await memory.get('c', 'password')).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });
});
