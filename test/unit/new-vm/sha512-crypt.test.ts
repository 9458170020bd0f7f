import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  sha512Crypt,
  sha512CryptWithSetting,
} from '../../../electron/new-vm/cloud-init/sha512-crypt';
import { pythonHas, runPython } from './python-json';

/** The SHA-512 test vectors of Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512". */
const SPEC_VECTORS: [setting: string, key: string, expected: string][] = [
  [
    '$6$saltstring',
    'Hello world!',
    '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
  ],
  [
    '$6$rounds=10000$saltstringsaltstring',
    'Hello world!',
    '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.',
  ],
  [
    '$6$rounds=5000$toolongsaltstring',
    'This is just a test',
    '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0',
  ],
  [
    '$6$rounds=1400$anotherlongsaltstring',
    'a very much longer text to encrypt.  This one even stretches over morethan one line.',
    '$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1',
  ],
  [
    '$6$rounds=77777$short',
    'we have a short salt string but not a short password',
    '$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0',
  ],
  [
    '$6$rounds=123456$asaltof16chars..',
    'a short string',
    '$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1',
  ],
  [
    '$6$rounds=10$roundstoolow',
    'the minimum number is still observed',
    '$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.',
  ],
];

const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HAS_CRYPT = pythonHas('crypt');

describe('sha512Crypt', () => {
  it.each(SPEC_VECTORS)(
    'matches the spec vector %s',
    (setting, key, expected) => {
      expect(sha512CryptWithSetting(key, setting)).toBe(expected);
    },
    60_000,
  );

  it('makes a fresh 16-character salt each time, with the default rounds left out', () => {
    const a = sha512Crypt('secret');
    const b = sha512Crypt('secret');
    expect(a).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(b).not.toBe(a);
    // Same salt, same password: same hash (what the guest's libc does when checking).
    expect(sha512CryptWithSetting('secret', a)).toBe(a);
    expect(sha512CryptWithSetting('Secret', a)).not.toBe(a);
  }, 60_000);

  it('refuses salts libxcrypt would reject and passwords crypt(3) would cut', () => {
    expect(() => sha512Crypt('pw', { salt: 'ab:cd' })).toThrow(/salt uses 1 to 16/);
    expect(() => sha512Crypt('pw', { salt: 'sält' })).toThrow(/salt uses 1 to 16/);
    expect(() => sha512Crypt('pw', { salt: '' })).toThrow(/salt uses 1 to 16/);
    expect(() => sha512Crypt('a\0b')).toThrow(/NUL/);
    expect(() => sha512Crypt('pw', { rounds: 0 })).toThrow(/rounds/);
  }, 60_000);

  it.skipIf(!HAS_CRYPT)(
    `agrees with the system's crypt(3) on random inputs ${HAS_CRYPT ? '' : '(skipped: python3 has no crypt module here)'}`,
    () => {
      const cases = Array.from({ length: 40 }, (_, i) => {
        const length = randomInt(0, 90);
        // ASCII, UTF-8 (2-4 byte characters) and lengths around the 64-byte block edge.
        const password =
          i % 3 === 0
            ? Array.from({ length }, () => String.fromCodePoint(randomInt(0x20, 0x7f))).join('')
            : i % 3 === 1
              ? Array.from({ length: randomInt(0, 30) }, () =>
                  String.fromCodePoint([0xe9, 0x4e2d, 0x1f600][randomInt(0, 3)] ?? 0x41),
                ).join('')
              : 'x'.repeat(60 + (i % 10));
        const salt = Array.from(randomBytes(randomInt(1, 17)), (b) => ALPHABET[b & 63]).join('');
        const rounds = i % 4 === 0 ? undefined : randomInt(1000, 3000);
        const ours = sha512Crypt(password, rounds === undefined ? { salt } : { salt, rounds });
        return { password, ours };
      });
      const theirs = runPython<string[]>(
        'import crypt, json, sys\n' +
          'print(json.dumps([crypt.crypt(c["password"], c["ours"]) for c in json.load(sys.stdin)]))',
        cases,
      );
      expect(theirs).toEqual(cases.map((c) => c.ours));
    },
    60_000,
  );
});
