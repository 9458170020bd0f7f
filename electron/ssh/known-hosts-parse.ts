import { keyTypeOfBlob } from './host-key-fingerprint';

export type KnownHostsMarker = 'cert-authority' | 'revoked';

export type KnownHostsNames =
  | { kind: 'patterns'; patterns: string[] }
  /** `|1|salt|hash`: HMAC-SHA1(salt, name), written when HashKnownHosts is on. */
  | { kind: 'hashed'; salt: Buffer; hash: Buffer };

export interface KnownHostsEntry {
  /** 1-based line number in the file, for messages that point the user at it. */
  line: number;
  marker: KnownHostsMarker | null;
  names: KnownHostsNames;
  keyType: string;
  keyBlob: Buffer;
}

export interface KnownHostsProblem {
  line: number;
  reason: string;
}

export interface ParsedKnownHosts {
  entries: KnownHostsEntry[];
  /** Lines OpenSSH would skip too; kept so a caller can explain a surprising result. */
  problems: KnownHostsProblem[];
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parses an OpenSSH known_hosts file (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"). */
export function parseKnownHosts(text: string): ParsedKnownHosts {
  const entries: KnownHostsEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const trimmed = (lines[i] ?? '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/[ \t]+/);
    let marker: KnownHostsMarker | null = null;
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift();
      if (name === '@cert-authority') marker = 'cert-authority';
      else if (name === '@revoked') marker = 'revoked';
      else {
        problems.push({ line: lineNo, reason: `unknown marker ${name ?? ''}` });
        continue;
      }
    }
    const [hostField, keyType, keyData] = fields;
    if (hostField === undefined || keyType === undefined || keyData === undefined) {
      problems.push({ line: lineNo, reason: 'expected "hosts keytype base64-key"' });
      continue;
    }
    const names = parseNames(hostField);
    if (names === null) {
      problems.push({ line: lineNo, reason: 'malformed hashed host name' });
      continue;
    }
    if (!BASE64.test(keyData)) {
      problems.push({ line: lineNo, reason: 'key is not base64' });
      continue;
    }
    const keyBlob = Buffer.from(keyData, 'base64');
    const blobType = keyTypeOfBlob(keyBlob);
    if (blobType !== keyType) {
      problems.push({
        line: lineNo,
        reason: `key type ${keyType} does not match the key data (${blobType ?? 'unreadable'})`,
      });
      continue;
    }
    entries.push({ line: lineNo, marker, names, keyType, keyBlob });
  }
  return { entries, problems };
}

function parseNames(field: string): KnownHostsNames | null {
  if (!field.startsWith('|')) {
    return { kind: 'patterns', patterns: field.split(',').filter((p) => p !== '') };
  }
  const parts = field.split('|');
  // ['', '1', salt, hash]: only HMAC-SHA1 (magic 1) exists in OpenSSH.
  if (parts.length !== 4 || parts[1] !== '1') return null;
  const [, , salt64, hash64] = parts;
  if (!salt64 || !hash64 || !BASE64.test(salt64) || !BASE64.test(hash64)) return null;
  const salt = Buffer.from(salt64, 'base64');
  const hash = Buffer.from(hash64, 'base64');
  if (salt.length !== 20 || hash.length !== 20) return null;
  return { kind: 'hashed', salt, hash };
}
