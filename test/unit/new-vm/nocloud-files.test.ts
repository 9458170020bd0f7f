import { describe, expect, it } from 'vitest';
import { noCloudFiles } from '../../../electron/new-vm/cloud-init/nocloud-files';
import { yamlQuote } from '../../../electron/new-vm/cloud-init/yaml-quote';
import type { CloudInitInput } from '../../../shared/contract/new-vm';
import { pythonHas, runPython } from './python-json';

const HAS_YAML = pythonHas('yaml', 'email');
const HAS_CRYPT = pythonHas('crypt');
const NO_YAML = '(skipped: python3 with PyYAML, the parser cloud-init uses, is not installed)';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHc0bWFkZXVwa2V5Zm9ydGVzdHM alice@laptop';

const file = (files: { name: string; data: Buffer }[], name: string): string => {
  const f = files.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name}`);
  return f.data.toString('utf8');
};

/** What cloud-init sees: PyYAML's reading of the document. */
const yamlLoad = (docs: string[]): unknown[] =>
  runPython<unknown[]>(
    'import json, sys, yaml\nprint(json.dumps([yaml.safe_load(d) for d in json.load(sys.stdin)]))',
    docs,
  );

interface MimePart {
  type: string;
  filename: string | null;
  mergeType: string | null;
  body: string;
}

/** How cloud-init splits multipart user-data: Python's email parser, payloads decoded. */
const mimeParts = (text: string): { multipart: boolean; parts: MimePart[] } =>
  runPython(
    [
      'import email, json, sys',
      'm = email.message_from_string(json.load(sys.stdin))',
      'parts = [dict(type=p.get_content_type(), filename=p.get_filename(),',
      '  mergeType=p.get("Merge-Type"), body=p.get_payload(decode=True).decode("utf-8"))',
      '  for p in m.walk() if not p.is_multipart()]',
      'print(json.dumps(dict(multipart=m.is_multipart(), parts=parts)))',
    ].join('\n'),
    text,
  );

const base: CloudInitInput = { user: 'alice', sshKeys: [KEY], hostname: 'web-1' };

describe('noCloudFiles', () => {
  it('writes meta-data and a plain #cloud-config without extra user-data', () => {
    const files = noCloudFiles({ ...base, password: 'pw' }, 'iid-1');
    expect(files.map((f) => f.name)).toEqual(['meta-data', 'user-data']);
    const userData = file(files, 'user-data');
    expect(userData.startsWith('#cloud-config\n')).toBe(true);
    expect(userData).not.toContain('pw"');
  }, 60_000);

  it.skipIf(!HAS_YAML)(
    `is read by PyYAML as intended ${HAS_YAML ? '' : NO_YAML}`,
    () => {
      const files = noCloudFiles({ ...base, password: 'correct horse' }, 'iid-0c6f');
      const [meta, user] = yamlLoad([file(files, 'meta-data'), file(files, 'user-data')]);
      expect(meta).toEqual({ 'instance-id': 'iid-0c6f', 'local-hostname': 'web-1' });
      expect(user).toEqual({
        hostname: 'web-1',
        fqdn: 'web-1',
        users: [
          {
            name: 'alice',
            shell: '/bin/bash',
            sudo: 'ALL=(ALL) NOPASSWD:ALL',
            lock_passwd: false,
            passwd: expect.stringMatching(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/),
            ssh_authorized_keys: [KEY],
          },
        ],
        ssh_pwauth: true,
      });
    },
    60_000,
  );

  it.skipIf(!HAS_YAML || !HAS_CRYPT)(
    `hashes the password so the guest's crypt(3) accepts it ${HAS_YAML && HAS_CRYPT ? '' : NO_YAML}`,
    () => {
      const password = 'pässwörd "with" \\ quotes: #1';
      const [user] = yamlLoad([file(noCloudFiles({ ...base, password }, 'iid-2'), 'user-data')]);
      const hash = (user as { users: { passwd: string }[] }).users[0]?.passwd ?? '';
      const [same, other] = runPython<string[]>(
        'import crypt, json, sys\nd = json.load(sys.stdin)\n' +
          'print(json.dumps([crypt.crypt(d["pw"], d["h"]), crypt.crypt("wrong", d["h"])]))',
        { pw: password, h: hash },
      );
      expect(same).toBe(hash);
      expect(other).not.toBe(hash);
    },
    60_000,
  );

  it.skipIf(!HAS_YAML)(
    `locks the password and SSH password logins when only keys are given ${HAS_YAML ? '' : NO_YAML}`,
    () => {
      const [user] = yamlLoad([file(noCloudFiles(base, 'iid-3'), 'user-data')]) as {
        users: Record<string, unknown>[];
        ssh_pwauth: boolean;
      }[];
      expect(user?.users[0]?.lock_passwd).toBe(true);
      expect(user?.users[0]).not.toHaveProperty('passwd');
      expect(user?.ssh_pwauth).toBe(false);
    },
    60_000,
  );

  it.skipIf(!HAS_YAML)(
    `quotes every kind of text safely ${HAS_YAML ? '' : NO_YAML}`,
    () => {
      const nasty = [
        'yes',
        'null',
        '0x1F',
        '- item',
        '*alias',
        '&anchor',
        '!tag',
        'a: b # c',
        '"double" \'single\'',
        'back\\slash',
        'tab\there\rCR\x00NUL\x07bell\x1bESC\x7fDEL\x85NEL\u2028LS\u2029PS\ufeffBOM',
        'Ünïcödé 中文 😀',
        '',
        ' leading and trailing ',
      ];
      expect(yamlLoad(nasty.map((s) => `v: ${yamlQuote(s)}\n`))).toEqual(nasty.map((v) => ({ v })));
      // A key's comment is the one free-text field that reaches user-data.
      const key = `${KEY.split(' ').slice(0, 2).join(' ')} "me": #1 \\ ünï\ttab`;
      const [user] = yamlLoad([file(noCloudFiles({ ...base, sshKeys: [key] }, 'i'), 'user-data')]);
      expect((user as { users: { ssh_authorized_keys: string[] }[] }).users[0]).toMatchObject({
        ssh_authorized_keys: [key],
      });
      expect(() => yamlQuote('\ud800')).toThrow(/lone surrogate/);
    },
    60_000,
  );

  it.skipIf(!HAS_YAML)(
    `puts extra cloud-config first in a multipart, ours merging after it ${HAS_YAML ? '' : NO_YAML}`,
    () => {
      const extra = '#cloud-config\npackages: [htop]\nusers:\n  - default\n';
      const mime = mimeParts(
        file(noCloudFiles({ ...base, userData: extra }, 'iid-4'), 'user-data'),
      );
      expect(mime.multipart).toBe(true);
      expect(mime.parts.map((p) => [p.type, p.mergeType])).toEqual([
        ['text/cloud-config', null],
        ['text/cloud-config', 'list(append)+dict(no_replace,recurse_list)+str()'],
      ]);
      expect(mime.parts[0]?.body).toBe(extra);
      const [ours] = yamlLoad([mime.parts[1]?.body ?? '']);
      expect(ours).toMatchObject({ hostname: 'web-1', users: [{ name: 'alice' }] });
    },
    60_000,
  );

  it.skipIf(!HAS_YAML)(
    `adds a script as a text/x-shellscript part after ours ${HAS_YAML ? '' : NO_YAML}`,
    () => {
      const script = '#!/bin/sh\necho "héllo" > /root/marker\n';
      const mime = mimeParts(
        file(noCloudFiles({ ...base, userData: script }, 'iid-5'), 'user-data'),
      );
      expect(mime.parts.map((p) => p.type)).toEqual(['text/cloud-config', 'text/x-shellscript']);
      expect(mime.parts[1]?.body).toBe(script);
      expect(mime.parts[1]?.filename).toBe('user-script');
    },
    60_000,
  );

  it('refuses user-data cloud-init would ignore, and bad input, with clear messages', () => {
    expect(() => noCloudFiles({ ...base, userData: 'just some text' }, 'i')).toThrow(
      /must start with #cloud-config/,
    );
    expect(() => noCloudFiles({ ...base, user: 'Root!' }, 'i')).toThrow(/user name/);
    expect(() => noCloudFiles({ ...base, hostname: 'a.b' }, 'i')).toThrow(/host name/);
    expect(() => noCloudFiles({ ...base, sshKeys: [] }, 'i')).toThrow(/nobody can log in/);
    expect(() => noCloudFiles(base, 'bad id\n')).toThrow(/instance id/);
  }, 60_000);
});
