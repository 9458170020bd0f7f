import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applySavedSshSettings,
  resolveProxyJump,
} from '../../../electron/connections/saved-ssh-options';
import type { SshContext } from '../../../electron/connections/saved-ssh-options';
import type { SshTransportOptions } from '../../../electron/libvirt/transport/transport-types';
import { SshError } from '../../../electron/ssh/ssh-error';

const CONFIG = `Host kvm1
  HostName 192.0.2.10
  User admin
  Port 2200
  IdentityFile ~/.ssh/kvm_key
  ProxyJump bastion

Host bastion
  HostName bastion.example.com
  User jump
  IdentityFile ~/.ssh/jump_key

Host solo
  HostName 192.0.2.20
  IdentitiesOnly yes
  IdentityFile ~/.ssh/solo_key
  UserKnownHostsFile ~/.ssh/solo_known
`;

const base = (host: string, extra: Partial<SshTransportOptions> = {}): SshTransportOptions => ({
  host,
  remote: { driverUri: 'qemu:///system' },
  ...extra,
});

describe('applySavedSshSettings', () => {
  let home: string;
  let context: SshContext;

  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-ssh-opts-'));
    await mkdir(path.join(home, '.ssh'));
    await writeFile(path.join(home, '.ssh', 'config'), CONFIG);
    await writeFile(path.join(home, '.ssh', 'id_ed25519'), 'not read here');
    context = {
      home,
      env: { SSH_AUTH_SOCK: '/run/agent.sock' },
      sshConfigPath: path.join(home, '.ssh', 'config'),
    };
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('honours ~/.ssh/config for the URI host: HostName, User, Port, IdentityFile, ProxyJump', async () => {
    const options = await applySavedSshSettings(base('kvm1'), { useAgent: true }, context);
    expect(options).toMatchObject({
      host: '192.0.2.10',
      username: 'admin',
      port: 2200,
      agent: '/run/agent.sock',
      identityFiles: [path.join(home, '.ssh', 'kvm_key'), path.join(home, '.ssh', 'id_ed25519')],
      jumpHosts: [
        {
          host: 'bastion.example.com',
          username: 'jump',
          identityFiles: [path.join(home, '.ssh', 'jump_key')],
        },
      ],
      knownHostsFile: path.join(home, '.ssh', 'known_hosts'),
    });
  });

  it('lets the URI win over the saved settings, and those over ssh config', async () => {
    const fromUri = await applySavedSshSettings(
      base('kvm1', { username: 'root', port: 22, identityFiles: ['/uri/key'] }),
      { useAgent: false, user: 'saved', port: 2022, identityFile: '~/saved_key' },
      context,
    );
    expect(fromUri).toMatchObject({
      username: 'root',
      port: 22,
      identityFiles: ['/uri/key'],
      agent: null,
    });
    const fromSaved = await applySavedSshSettings(
      base('kvm1'),
      {
        useAgent: false,
        user: 'saved',
        port: 2022,
        identityFile: '~/saved_key',
        proxyJump: 'ann@j1:2201,j2',
      },
      context,
    );
    expect(fromSaved).toMatchObject({
      username: 'saved',
      port: 2022,
      identityFiles: [path.join(home, 'saved_key')],
      jumpHosts: [{ host: 'j1', port: 2201, username: 'ann' }, { host: 'j2' }],
    });
  });

  it('keeps IdentitiesOnly and UserKnownHostsFile; a host without config gets the defaults', async () => {
    const solo = await applySavedSshSettings(base('solo'), { useAgent: true }, context);
    expect(solo.identityFiles).toEqual([path.join(home, '.ssh', 'solo_key')]);
    expect(solo.knownHostsFile).toBe(path.join(home, '.ssh', 'solo_known'));
    const plain = await applySavedSshSettings(
      base('10.1.1.1'),
      { useAgent: true },
      { ...context, sshConfigPath: path.join(home, 'none') },
    );
    expect(plain).toMatchObject({
      host: '10.1.1.1',
      identityFiles: [path.join(home, '.ssh', 'id_ed25519')],
      jumpHosts: [],
    });
    expect(plain.username).toBeUndefined();
  });
});

describe('resolveProxyJump', () => {
  it('resolves each hop through ssh config, like ssh -J', () => {
    expect(resolveProxyJump('bastion, root@10.0.0.9:2222', CONFIG, '/h', 'me')).toEqual([
      { host: 'bastion.example.com', username: 'jump', identityFiles: ['/h/.ssh/jump_key'] },
      { host: '10.0.0.9', port: 2222, username: 'root' },
    ]);
  });

  it('refuses text that is not a hop list instead of reading it as config', () => {
    for (const spec of ['a\n  ProxyCommand evil', 'a b', 'user@', '']) {
      expect(() => resolveProxyJump(spec, CONFIG, '/h', 'me')).toThrow(SshError);
    }
  });
});
