import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintSha256, keyTypeOfBlob } from '../../../../electron/ssh/host-key-fingerprint';
import { checkHostKey, knownHostsName } from '../../../../electron/ssh/known-hosts-check';
import {
  appendKnownHostsLine,
  formatKnownHostsLine,
} from '../../../../electron/ssh/known-hosts-file';
import { parseKnownHosts } from '../../../../electron/ssh/known-hosts-parse';
import { matchHostPatternList, wildcardMatch } from '../../../../electron/ssh/host-pattern';
import { findExecutable } from '../../../harness/find-executable';
import { runCommand } from '../../../harness/run-command';

/** Real keys from ssh-keygen, so blobs, types and fingerprints are OpenSSH's own. */
interface TestKey {
  type: string;
  blob: Buffer;
  line: string;
  keygenFingerprint: string;
}

let dir = '';
let keygen = '';
const keys: Record<'ed25519' | 'ed25519b' | 'ecdsa' | 'rsa', TestKey> = {} as never;

async function makeKey(name: string, type: string, extra: string[] = []): Promise<TestKey> {
  const path = join(dir, name);
  const made = await runCommand(keygen, [
    '-q',
    '-t',
    type,
    ...extra,
    '-N',
    '',
    '-C',
    name,
    '-f',
    path,
  ]);
  expect(made.code, made.stderr).toBe(0);
  const line = (await readFile(`${path}.pub`, 'utf8')).trim();
  const [keyType = '', b64 = ''] = line.split(' ');
  const lf = await runCommand(keygen, ['-l', '-E', 'sha256', '-f', `${path}.pub`]);
  return {
    type: keyType,
    blob: Buffer.from(b64, 'base64'),
    line: `${keyType} ${b64}`,
    keygenFingerprint: lf.stdout.split(' ')[1] ?? '',
  };
}

beforeAll(async () => {
  keygen = findExecutable('ssh-keygen', 'install openssh-client');
  dir = await mkdtemp(join(tmpdir(), 'vd-known-hosts-'));
  keys.ed25519 = await makeKey('k1', 'ed25519');
  keys.ed25519b = await makeKey('k2', 'ed25519');
  keys.ecdsa = await makeKey('k3', 'ecdsa', ['-b', '256']);
  keys.rsa = await makeKey('k4', 'rsa', ['-b', '2048']);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fingerprints and key blobs', () => {
  it('formats SHA256 fingerprints exactly like ssh-keygen -l', () => {
    for (const key of Object.values(keys)) {
      expect(key.keygenFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(fingerprintSha256(key.blob)).toBe(key.keygenFingerprint);
    }
  });

  it('reads the key type from the blob and rejects garbage', () => {
    expect(keyTypeOfBlob(keys.ed25519.blob)).toBe('ssh-ed25519');
    expect(keyTypeOfBlob(keys.ecdsa.blob)).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOfBlob(keys.rsa.blob)).toBe('ssh-rsa');
    expect(keyTypeOfBlob(Buffer.from([0, 0]))).toBeNull();
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0, 200, 65]))).toBeNull();
  });
});

describe('host patterns', () => {
  it('matches OpenSSH wildcards case-insensitively', () => {
    expect(wildcardMatch('*.example.com', 'Web.EXAMPLE.com')).toBe(true);
    expect(wildcardMatch('web?.example.com', 'web1.example.com')).toBe(true);
    expect(wildcardMatch('web?.example.com', 'web12.example.com')).toBe(false);
    expect(wildcardMatch('[10.0.0.*]:2222', '[10.0.0.7]:2222')).toBe(true);
    expect(wildcardMatch('a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
  });

  it('lets a negated pattern veto the list', () => {
    expect(matchHostPatternList(['*.example.com', '!db.example.com'], 'web.example.com')).toBe(
      true,
    );
    expect(matchHostPatternList(['*.example.com', '!db.example.com'], 'db.example.com')).toBe(
      false,
    );
    expect(matchHostPatternList(['!db.example.com'], 'web.example.com')).toBe(false);
  });
});

describe('known_hosts parsing and checking', () => {
  it('uses [host]:port for non-22 ports and lower-cases the host', () => {
    expect(knownHostsName('Server.Example', 22)).toBe('server.example');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
    expect(knownHostsName('::1', 2222)).toBe('[::1]:2222');
  });

  it('parses plain, marked and broken lines, reporting the broken ones', () => {
    const text = [
      '# comment',
      '',
      `host1,host2 ${keys.ed25519.line} comment here`,
      `@revoked * ${keys.rsa.line}`,
      `@cert-authority *.example.com ${keys.ecdsa.line}`,
      `@bogus host ${keys.rsa.line}`,
      'host3 ssh-ed25519 not-base64!',
      `host4 ssh-rsa ${keys.ed25519.line.split(' ')[1]}`,
      '|1|short|hash ssh-ed25519 AAAA',
      'lonelyfield',
    ].join('\n');
    const parsed = parseKnownHosts(text);
    expect(parsed.entries.map((e) => [e.line, e.marker, e.keyType])).toEqual([
      [3, null, 'ssh-ed25519'],
      [4, 'revoked', 'ssh-rsa'],
      [5, 'cert-authority', 'ecdsa-sha2-nistp256'],
    ]);
    expect(parsed.problems.map((p) => p.line)).toEqual([6, 7, 8, 9, 10]);
    expect(parsed.problems.find((p) => p.line === 8)?.reason).toMatch(/does not match/);
  });

  it('finds a trusted key, a changed key and an unknown host', () => {
    const parsed = parseKnownHosts(
      `[127.0.0.1]:2222 ${keys.ed25519.line}\n[127.0.0.1]:2222 ${keys.rsa.line}\n`,
    );
    expect(checkHostKey(parsed, '127.0.0.1', 2222, 'ssh-ed25519', keys.ed25519.blob)).toMatchObject(
      {
        status: 'trusted',
        entry: { line: 1 },
      },
    );
    // Same type, other key data: the MITM case.
    expect(
      checkHostKey(parsed, '127.0.0.1', 2222, 'ssh-ed25519', keys.ed25519b.blob),
    ).toMatchObject({
      status: 'changed',
      entry: { line: 1 },
    });
    // A type the host is not known with is unknown, and we say which types are known.
    expect(checkHostKey(parsed, '127.0.0.1', 2222, 'ecdsa-sha2-nistp256', keys.ecdsa.blob)).toEqual(
      {
        status: 'unknown',
        otherKeyTypes: ['ssh-ed25519', 'ssh-rsa'],
        ignoredCertAuthorities: 0,
      },
    );
    // Port 22 looks for the bare name, so the [host]:2222 lines do not apply.
    expect(checkHostKey(parsed, '127.0.0.1', 22, 'ssh-ed25519', keys.ed25519.blob).status).toBe(
      'unknown',
    );
  });

  it('accepts any of several keys of the same type (a second line after a key rotation)', () => {
    const parsed = parseKnownHosts(`h ${keys.ed25519.line}\nh ${keys.ed25519b.line}\n`);
    expect(checkHostKey(parsed, 'h', 22, 'ssh-ed25519', keys.ed25519b.blob)).toMatchObject({
      status: 'trusted',
      entry: { line: 2 },
    });
  });

  it('refuses @revoked keys even when the same key is also listed as trusted', () => {
    const parsed = parseKnownHosts(`h ${keys.rsa.line}\n@revoked h ${keys.rsa.line}\n`);
    expect(checkHostKey(parsed, 'h', 22, 'ssh-rsa', keys.rsa.blob)).toMatchObject({
      status: 'revoked',
      entry: { line: 2 },
    });
  });

  it('ignores @cert-authority lines but counts them for the explanation', () => {
    const parsed = parseKnownHosts(`@cert-authority *.example.com ${keys.ecdsa.line}\n`);
    expect(
      checkHostKey(parsed, 'web.example.com', 22, 'ecdsa-sha2-nistp256', keys.ecdsa.blob),
    ).toEqual({
      status: 'unknown',
      otherKeyTypes: [],
      ignoredCertAuthorities: 1,
    });
  });

  it('matches hashed entries written by ssh-keygen -H, for port 22 and [host]:port', async () => {
    const file = join(dir, 'hashed_known_hosts');
    await writeFile(
      file,
      `web.example.com ${keys.ed25519.line}\n[10.1.2.3]:2200 ${keys.ecdsa.line}\n`,
    );
    const hashed = await runCommand(keygen, ['-H', '-f', file]);
    expect(hashed.code, hashed.stderr).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('example.com');
    expect(text.match(/^\|1\|/gm)).toHaveLength(2);
    const parsed = parseKnownHosts(text);
    expect(parsed.problems).toEqual([]);
    expect(
      checkHostKey(parsed, 'web.example.com', 22, 'ssh-ed25519', keys.ed25519.blob).status,
    ).toBe('trusted');
    expect(
      checkHostKey(parsed, 'WEB.example.com', 22, 'ssh-ed25519', keys.ed25519b.blob).status,
    ).toBe('changed');
    expect(
      checkHostKey(parsed, '10.1.2.3', 2200, 'ecdsa-sha2-nistp256', keys.ecdsa.blob).status,
    ).toBe('trusted');
    expect(
      checkHostKey(parsed, '10.1.2.3', 22, 'ecdsa-sha2-nistp256', keys.ecdsa.blob).status,
    ).toBe('unknown');
    expect(
      checkHostKey(parsed, 'other.example.com', 22, 'ssh-ed25519', keys.ed25519.blob).status,
    ).toBe('unknown');
  });
});

describe('recording a new host key', () => {
  it('writes lines ssh-keygen -F finds, creating the folder 0700 and the file 0600', async () => {
    const file = join(dir, 'fresh', '.ssh', 'known_hosts');
    await appendKnownHostsLine(
      file,
      formatKnownHostsLine('127.0.0.1', 2222, 'ssh-ed25519', keys.ed25519.blob),
    );
    await appendKnownHostsLine(
      file,
      formatKnownHostsLine('web.example.com', 22, 'ssh-rsa', keys.rsa.blob),
    );
    expect((await stat(join(dir, 'fresh', '.ssh'))).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe(
      `[127.0.0.1]:2222 ${keys.ed25519.line}\nweb.example.com ${keys.rsa.line}\n`,
    );
    const found = await runCommand(keygen, ['-F', '[127.0.0.1]:2222', '-f', file]);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain(keys.ed25519.line);
  });

  it('starts a new line when the file does not end with one, and never rewrites', async () => {
    const file = join(dir, 'no_newline');
    await writeFile(file, `old ${keys.rsa.line}`);
    await appendKnownHostsLine(
      file,
      formatKnownHostsLine('new', 22, 'ssh-ed25519', keys.ed25519.blob),
    );
    expect(await readFile(file, 'utf8')).toBe(`old ${keys.rsa.line}\nnew ${keys.ed25519.line}\n`);
  });

  it('refuses host names that would corrupt the file or widen the match', () => {
    for (const bad of ['a b', 'a,b', '*', 'h#x', '@revoked', 'x\ny']) {
      expect(() => formatKnownHostsLine(bad, 22, 'ssh-ed25519', keys.ed25519.blob)).toThrow(
        /Refusing/,
      );
    }
  });
});
