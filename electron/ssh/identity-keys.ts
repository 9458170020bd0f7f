import { access, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
// ssh2 is CommonJS: Node's ESM loader only sees its default export.
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { fingerprintSha256 } from './host-key-fingerprint';
import { SshError } from './ssh-error';

export interface LoadedIdentity {
  path: string;
  key: ParsedKey;
  fingerprint: string;
}

export type IdentityLoad =
  { kind: 'loaded'; identity: LoadedIdentity } | { kind: 'skipped'; path: string; reason: string };

/** Answers a passphrase question; null = the user cancelled, '' = skip this key. */
export type PassphraseAsker = (prompt: string) => Promise<string | null>;

const MAX_PASSPHRASE_TRIES = 3;

/** OpenSSH's default identities, in the order the brief and `ssh` use, that exist. */
export async function defaultIdentityFiles(home: string = homedir()): Promise<string[]> {
  const candidates = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => join(home, '.ssh', n));
  const present = await Promise.all(
    candidates.map((p) =>
      access(p).then(
        () => true,
        () => false,
      ),
    ),
  );
  return candidates.filter((_, i) => present[i]);
}

/**
 * Reads and decrypts one private key. An encrypted key costs a passphrase question, asked
 * again on a wrong answer up to three times (then a clear error); cancelling aborts the
 * whole authentication, an empty answer skips this key as `ssh` does.
 */
export async function loadIdentity(
  path: string,
  askPassphrase: PassphraseAsker | undefined,
): Promise<IdentityLoad> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? 'error'})`;
    return { kind: 'skipped', path, reason };
  }
  const plain = firstKey(ssh2.utils.parseKey(data));
  if (!(plain instanceof Error)) return asLoaded(path, plain);
  if (!/no passphrase given/i.test(plain.message)) {
    return { kind: 'skipped', path, reason: `not a usable private key (${plain.message})` };
  }
  if (!askPassphrase) {
    return { kind: 'skipped', path, reason: 'encrypted, and there is no one to ask' };
  }
  for (let attempt = 1; attempt <= MAX_PASSPHRASE_TRIES; attempt++) {
    const retry = attempt > 1 ? ' (wrong passphrase, try again)' : '';
    const answer = await askPassphrase(`Enter passphrase for key '${path}'${retry}:`);
    if (answer === null) {
      throw new SshError('auth-cancelled', `Authentication cancelled (passphrase for ${path}).`);
    }
    if (answer === '') return { kind: 'skipped', path, reason: 'no passphrase given' };
    const key = firstKey(ssh2.utils.parseKey(data, answer));
    if (!(key instanceof Error)) return asLoaded(path, key);
    if (!/passphrase|integrity check|decrypt/i.test(key.message)) {
      return { kind: 'skipped', path, reason: `cannot decrypt it (${key.message})` };
    }
  }
  throw new SshError(
    'passphrase',
    `Wrong passphrase for ${path} (${MAX_PASSPHRASE_TRIES} attempts). Authentication stopped.`,
  );
}

function firstKey(parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | Error {
  if (Array.isArray(parsed)) return parsed[0] ?? new Error('no key in file');
  return parsed;
}

function asLoaded(path: string, key: ParsedKey): IdentityLoad {
  if (!key.isPrivateKey()) return { kind: 'skipped', path, reason: 'not a private key' };
  return {
    kind: 'loaded',
    identity: { path, key, fingerprint: fingerprintSha256(key.getPublicSSH()) },
  };
}
