import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SavedConnection } from '../../../shared/contract/connections';
import {
  aliasFromHostName,
  findImportCandidates,
} from '../../../electron/connections/import-candidates';
import { listSshConfigHosts } from '../../../electron/connections/ssh-config-hosts';

const LIBVIRT_CONF = `# client config
uri_default = "qemu:///system"
uri_aliases = [
  "hail=qemu+ssh://root@hail.cloud.example.com/system",
  "sleet=qemu+ssh://root@sleet.cloud.example.com/system",
  "local-test=test:///default",
  "bad.name=qemu:///system",
  "broken=qemu://system",
]
`;

const SSH_CONFIG = `Host kvm1 kvm1-alt
  HostName 192.0.2.10
  User admin
  Port 2200
  IdentityFile ~/.ssh/kvm_ed25519
  ProxyJump bastion

Host bastion
  HostName bastion.example.com
  User jump

Host db.lab
  HostName db.internal

Host *.example.org !secret.example.org
  User other

Host sleet
  HostName sleet.cloud.example.com
  User root

Host *
  ServerAliveInterval 30
  User fallback
`;

describe('findImportCandidates', () => {
  let dir: string;
  let sources: Parameters<typeof findImportCandidates>[1];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-import-'));
    await mkdir(path.join(dir, '.ssh'));
    await writeFile(path.join(dir, 'libvirt.conf'), LIBVIRT_CONF);
    await writeFile(path.join(dir, '.ssh', 'config'), SSH_CONFIG);
    sources = {
      libvirtConfPath: path.join(dir, 'libvirt.conf'),
      sshConfigPath: path.join(dir, '.ssh', 'config'),
      home: dir,
      localUser: 'me',
    };
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('proposes libvirt.conf aliases and concrete ssh Hosts, reporting bad entries', async () => {
    const { candidates, problems } = await findImportCandidates([], sources);
    expect(candidates.map((c) => [c.source, c.sourceName, c.draft.alias, c.draft.uri])).toEqual([
      ['libvirt-conf', 'hail', 'hail', 'qemu+ssh://root@hail.cloud.example.com/system'],
      ['libvirt-conf', 'sleet', 'sleet', 'qemu+ssh://root@sleet.cloud.example.com/system'],
      ['libvirt-conf', 'local-test', 'local-test', 'test:///default'],
      ['ssh-config', 'kvm1', 'kvm1', 'qemu+ssh://admin@192.0.2.10:2200/system'],
      ['ssh-config', 'kvm1-alt', 'kvm1-alt', 'qemu+ssh://admin@192.0.2.10:2200/system'],
      ['ssh-config', 'bastion', 'bastion', 'qemu+ssh://jump@bastion.example.com/system'],
      // "Host *" (last) gives its User only to hosts without one, as in ssh.
      ['ssh-config', 'db.lab', 'db-lab', 'qemu+ssh://fallback@db.internal/system'],
      ['ssh-config', 'sleet', 'sleet', 'qemu+ssh://root@sleet.cloud.example.com/system'],
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/malformed 'uri_aliases' entry 'bad\.name=qemu:\/\/\/system'/),
      expect.stringMatching(
        /alias 'broken': invalid URI qemu:\/\/system \(maybe you want qemu:\/\/\/system\)/,
      ),
    ]);
    const kvm1 = candidates.find((c) => c.sourceName === 'kvm1');
    expect(kvm1?.draft).toEqual({
      alias: 'kvm1',
      uri: 'qemu+ssh://admin@192.0.2.10:2200/system',
      description: `From Host kvm1 in ${sources.sshConfigPath}`,
      autoconnect: false,
      ssh: {
        useAgent: true,
        identityFile: path.join(dir, '.ssh', 'kvm_ed25519'),
        proxyJump: 'bastion',
      },
      origin: 'ssh-config',
    });
  });

  it('marks duplicates of saved connections and of earlier candidates, adding nothing', async () => {
    const saved: SavedConnection = {
      id: '0b7c1d9e-8a33-4c1e-9d7e-6f1d2e3a4b5c',
      alias: 'hail',
      uri: 'qemu:///system',
      autoconnect: false,
      ssh: { useAgent: true },
      origin: 'user',
    };
    const other = {
      ...saved,
      id: '1b7c1d9e-8a33-4c1e-9d7e-6f1d2e3a4b5c',
      alias: 'tst',
      uri: 'test:///default',
    };
    const { candidates } = await findImportCandidates([saved, other], sources);
    const dup = (name: string, source: string) =>
      candidates.find((c) => c.sourceName === name && c.source === source)?.duplicate;
    expect(dup('hail', 'libvirt-conf')).toEqual({ reason: 'alias', existingAlias: 'hail' });
    expect(dup('local-test', 'libvirt-conf')).toEqual({ reason: 'uri', existingAlias: 'tst' });
    expect(dup('kvm1-alt', 'ssh-config')).toEqual({ reason: 'uri', existingAlias: 'kvm1' });
    expect(dup('sleet', 'ssh-config')).toEqual({ reason: 'alias', existingAlias: 'sleet' });
    expect(dup('kvm1', 'ssh-config')).toBeNull();
  });

  it('is empty without either file, and reports a libvirt.conf it cannot parse', async () => {
    const none = await findImportCandidates([], {
      ...sources,
      libvirtConfPath: path.join(dir, 'absent.conf'),
      sshConfigPath: path.join(dir, 'absent'),
    });
    expect(none).toEqual({ candidates: [], problems: [] });
    await writeFile(sources.libvirtConfPath, 'uri_aliases = [ "a=test:///default" \n');
    const { problems } = await findImportCandidates([], {
      ...sources,
      sshConfigPath: path.join(dir, 'x'),
    });
    expect(problems).toEqual([expect.stringContaining(`${sources.libvirtConfPath}:`)]);
  });
});

describe('listSshConfigHosts / aliasFromHostName', () => {
  it('skips wildcard and negated patterns and Match blocks, keeps file order once', () => {
    expect(
      listSshConfigHosts('Host a b *.x\nHost ?q !c\nMatch host z\n  User m\nHost b c\n'),
    ).toEqual(['a', 'b', 'c']);
  });

  it('turns host names into libvirt-style aliases', () => {
    expect(aliasFromHostName('db.lab')).toBe('db-lab');
    expect(aliasFromHostName('..x..')).toBe('x');
    expect(aliasFromHostName('%%')).toBe('host');
  });
});
