import { createHash, randomBytes } from 'node:crypto';

/**
 * SHA-512 crypt (`$6$…`), the scheme glibc's crypt(3) and libxcrypt understand, as specified in
 * Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512". cloud-init writes the `passwd` of a
 * user straight into /etc/shadow, so the guest must be able to verify it with its own libc:
 * this is the one scheme every distribution's libc supports. Written here from the spec because
 * node:crypto has no crypt(3) and the brief allows no native addon.
 */

const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ROUNDS_DEFAULT = 5000;
const ROUNDS_MIN = 1000;
const ROUNDS_MAX = 999_999_999;
const SALT_MAX = 16;

/**
 * The spec's output permutation: 21 groups of three digest bytes, each the triple
 * (i, i+21, i+42) rotated by i mod 3, then the last byte alone.
 */
const GROUPS: [number, number, number][] = Array.from({ length: 21 }, (_, i) => {
  const t = [i, i + 21, i + 42];
  const r = i % 3;
  return [t[r], t[(r + 1) % 3], t[(r + 2) % 3]] as [number, number, number];
});

export interface Sha512CryptOptions {
  /** 1 to 16 of ./0-9A-Za-z (longer is cut, as the spec says); default: 16 random ones. */
  salt?: string;
  /** 1000 … 999999999 (clamped, as the spec says); default 5000, then omitted from the output. */
  rounds?: number;
}

/** Hashes `password` (its UTF-8 bytes) to `$6$[rounds=N$]<salt>$<86 characters>`. */
export function sha512Crypt(password: string, options: Sha512CryptOptions = {}): string {
  const salt = (options.salt ?? randomSalt()).slice(0, SALT_MAX);
  // glibc takes any byte but '$'; libxcrypt (Debian 11+, Fedora, RHEL 8+) answers "*0" for a
  // salt outside the crypt alphabet, so such a hash would lock the guest's user out.
  if (!/^[./0-9A-Za-z]+$/.test(salt)) {
    throw new Error('A SHA-512 crypt salt uses 1 to 16 of the characters ./0-9A-Za-z');
  }
  // crypt(3) takes a C string: the guest would only ever compare the part before a NUL.
  if (password.includes('\0')) throw new Error('A password must not contain a NUL character');
  let customRounds = false;
  let rounds = ROUNDS_DEFAULT;
  if (options.rounds !== undefined) {
    if (!Number.isInteger(options.rounds) || options.rounds < 1) {
      throw new Error(`SHA-512 crypt rounds must be a positive integer, not ${options.rounds}`);
    }
    customRounds = true;
    rounds = Math.min(ROUNDS_MAX, Math.max(ROUNDS_MIN, options.rounds));
  }
  const digest = digestOf(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), rounds);
  const prefix = customRounds ? `$6$rounds=${rounds}$` : '$6$';
  return `${prefix}${salt}$${encode(digest)}`;
}

/**
 * Hashes with the setting of an existing hash (`$6$[rounds=N$]salt[$…]`), as crypt(3) does when
 * it checks a password: used to compare against other implementations' output.
 */
export function sha512CryptWithSetting(password: string, setting: string): string {
  const m = /^\$6\$(?:rounds=(\d{1,10})\$)?([^$]*)/.exec(setting);
  if (!m) throw new Error('A SHA-512 crypt setting starts with $6$');
  const salt = m[2] ?? '';
  return m[1] === undefined
    ? sha512Crypt(password, { salt })
    : sha512Crypt(password, { salt, rounds: Number(m[1]) });
}

/** 16 characters from the crypt alphabet; 64 divides 256, so `byte & 63` is uniform. */
function randomSalt(): string {
  return Array.from(randomBytes(SALT_MAX), (b) => ALPHABET[b & 63]).join('');
}

const sha512 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** `length` bytes of `source` repeated (the spec's "for each block of 64 bytes … then the rest"). */
function repeatTo(source: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let at = 0; at < length; at += source.length) source.copy(out, at, 0, length - at);
  return out;
}

function digestOf(key: Buffer, salt: Buffer, rounds: number): Buffer {
  // Steps 4-8: the alternate sum B.
  const b = sha512(key, salt, key);
  // Steps 1-3, 9-12: digest A over key, salt, B stretched to the key's length, then one
  // B or key per bit of the key's length.
  const aParts: Buffer[] = [key, salt, repeatTo(b, key.length)];
  for (let n = key.length; n > 0; n >>>= 1) aParts.push(n & 1 ? b : key);
  const a = sha512(...aParts);
  // Steps 13-16: P from the key repeated once per key byte.
  const p = repeatTo(sha512(...Array<Buffer>(key.length).fill(key)), key.length);
  // Steps 17-20: S from the salt repeated 16 + A[0] times.
  const s = repeatTo(sha512(...Array<Buffer>(16 + (a[0] ?? 0)).fill(salt)), salt.length);
  // Step 21: the rounds, which make brute force slow.
  let c = a;
  for (let i = 0; i < rounds; i++) {
    const h = createHash('sha512');
    h.update(i & 1 ? p : c);
    if (i % 3 !== 0) h.update(s);
    if (i % 7 !== 0) h.update(p);
    h.update(i & 1 ? c : p);
    c = h.digest();
  }
  return c;
}

function encode(digest: Buffer): string {
  let out = '';
  const put = (b2: number, b1: number, b0: number, chars: number) => {
    let w = (b2 << 16) | (b1 << 8) | b0;
    for (let k = 0; k < chars; k++) {
      out += ALPHABET[w & 63];
      w >>>= 6;
    }
  };
  const at = (i: number) => digest[i] ?? 0;
  for (const [x, y, z] of GROUPS) put(at(x), at(y), at(z), 4);
  put(0, 0, at(63), 2);
  return out;
}
