import { createHash } from 'node:crypto';

/**
 * OpenSSH's fingerprint format: "SHA256:" + base64 of the SHA-256 of the public key blob,
 * without '=' padding (what `ssh-keygen -lf` and the "authenticity of host" prompt show).
 */
export function fingerprintSha256(keyBlob: Uint8Array): string {
  const digest = createHash('sha256').update(keyBlob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/**
 * The key type named inside an SSH public key blob (RFC 4253 §6.6: string type, then the
 * key data), e.g. "ssh-ed25519". Returns null for a blob too short to hold one.
 */
export function keyTypeOfBlob(keyBlob: Uint8Array): string | null {
  if (keyBlob.length < 4) return null;
  const view = new DataView(keyBlob.buffer, keyBlob.byteOffset, keyBlob.byteLength);
  const len = view.getUint32(0);
  if (len === 0 || len > 64 || 4 + len > keyBlob.length) return null;
  const type = Buffer.from(keyBlob.subarray(4, 4 + len)).toString('latin1');
  return /^[\x21-\x7e]+$/.test(type) ? type : null;
}
