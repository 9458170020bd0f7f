import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import { domainList } from '../../../../electron/libvirt/facade/domain';
import { nodeGetInfo } from '../../../../electron/libvirt/facade/node';
import { startLoopbackSshd, type LoopbackSshd } from '../../../harness/loopback-sshd';
import { runCommand } from '../../../harness/run-command';
import { runVirsh } from '../../../harness/run-virsh';

// The whole path a user takes with a remote host: a libvirt URI with the ssh transport,
// resolved, tunnelled through the harness sshd to the private daemon, then real calls —
// compared with virsh talking to the same daemon directly.
describe('libvirt URIs over SSH (test+ssh://, end to end)', () => {
  const libvirtd = inject('libvirtd');
  let sshd: LoopbackSshd;
  let dir: string;

  const uriFor = (extra: Record<string, string>): string => {
    const params = new URLSearchParams({ socket: libvirtd.socketPath, ...extra });
    return `test+ssh://${sshd.user}@127.0.0.1:${sshd.port}/default?${params.toString()}`;
  };

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    dir = await mkdtemp(join(tmpdir(), 'vd-ssh-uri-'));
  });

  afterAll(async () => {
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists the same domains and node info as virsh over the unix socket', async () => {
    const client = await LibvirtClient.open(
      uriFor({ keyfile: sshd.clientKeyPath, known_hosts: sshd.knownHostsFile }),
      { ssh: { agent: null } },
    );
    try {
      const names = (await domainList(client)).map((d) => d.name).sort();
      const virsh = await runVirsh(libvirtd.testUri, ['list', '--all', '--name']);
      expect(names).toEqual(virsh.stdout.split('\n').filter(Boolean).sort());
      const info = await nodeGetInfo(client);
      const nodeinfo = await runVirsh(libvirtd.testUri, ['nodeinfo']);
      expect(nodeinfo.stdout).toContain(`CPU(s):              ${info.cpus}`);
    } finally {
      await client.close();
    }
  });

  it('refuses a changed host key with a clear message and leaves known_hosts untouched', async () => {
    const otherKey = join(dir, 'other_host_key');
    const keygen = await runCommand('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-f',
      otherKey,
    ]);
    expect(keygen.code).toBe(0);
    const otherPublic = (await readFile(`${otherKey}.pub`, 'utf8')).trim().split(' ');
    const knownHosts = join(dir, 'known_hosts_changed');
    const content = `[127.0.0.1]:${sshd.port} ${otherPublic[0]} ${otherPublic[1]}\n`;
    await writeFile(knownHosts, content);

    const opening = LibvirtClient.open(
      uriFor({ keyfile: sshd.clientKeyPath, known_hosts: knownHosts }),
      { ssh: { agent: null } },
    );
    await expect(opening).rejects.toThrow(/host key.*(changed|does not match|mismatch)/i);
    expect(await readFile(knownHosts, 'utf8')).toBe(content);
  });

  it('reports refused credentials clearly', async () => {
    const strangerKey = join(dir, 'stranger_key');
    const keygen = await runCommand('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-f',
      strangerKey,
    ]);
    expect(keygen.code).toBe(0);
    const opening = LibvirtClient.open(
      uriFor({ keyfile: strangerKey, known_hosts: sshd.knownHostsFile }),
      { ssh: { agent: null } },
    );
    await expect(opening).rejects.toThrow(/auth/i);
  });
});
