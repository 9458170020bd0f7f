import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sshOptionsFromConfig } from '../../../../electron/libvirt/transport/ssh-options-from-config';
import { parseJumpSpec, resolveSshConfig } from '../../../../electron/ssh/ssh-config-resolver';

const env = { home: '/home/ann', localUser: 'ann' };

const CONFIG = `
# A typical ~/.ssh/config
Host kvm1
  HostName kvm1.lab.example
  User admin
  Port 2222
  IdentityFile ~/.ssh/id_kvm
  IdentityFile "~/keys with space/%r@%h"
  ProxyJump bastion

Host bastion
  HostName bastion.example.org
  User jump
  IdentityFile %d/.ssh/id_bastion

Host inner
  HostName 10.0.0.5
  ProxyJump bastion,ops@gw2:2200

Host gw2
  HostName gw2.internal
  Port 22
  ProxyJump should-not-apply

Host *.lab
  HostName %h.example.net
  IdentitiesOnly yes

Host loop-a
  ProxyJump loop-b
Host loop-b
  ProxyJump loop-a

Match exec "touch /tmp/virtdeck-must-not-exist"
  Port 1

Host *
  User fallback
  IdentityFile ~/.ssh/id_default
  UserKnownHostsFile ~/.ssh/known_hosts_virtdeck
  CanonicalizeHostName yes
  CanonicalDomains example.com
  ProxyCommand nc %h %p
`;

describe('resolveSshConfig', () => {
  it('resolves HostName, User, Port and expanded IdentityFiles, first match wins', () => {
    const r = resolveSshConfig(CONFIG, 'kvm1', env);
    expect(r).toMatchObject({
      alias: 'kvm1',
      hostName: 'kvm1.lab.example',
      username: 'admin',
      port: 2222,
      identityFiles: [
        '/home/ann/.ssh/id_kvm',
        '/home/ann/keys with space/admin@kvm1.lab.example',
        '/home/ann/.ssh/id_default',
      ],
      userKnownHostsFile: '/home/ann/.ssh/known_hosts_virtdeck',
      identitiesOnly: false,
    });
  });

  it('resolves a ProxyJump alias through the config', () => {
    expect(resolveSshConfig(CONFIG, 'kvm1', env).jumpHosts).toEqual([
      {
        host: 'bastion.example.org',
        username: 'jump',
        identityFiles: ['/home/ann/.ssh/id_bastion', '/home/ann/.ssh/id_default'],
      },
    ]);
  });

  it('flattens a comma chain; only the first hop’s own ProxyJump applies, like ssh -J', () => {
    const r = resolveSshConfig(CONFIG, 'inner', env);
    expect(r.hostName).toBe('10.0.0.5');
    expect(r.jumpHosts.map((h) => [h.host, h.username, h.port])).toEqual([
      ['bastion.example.org', 'jump', undefined],
      ['gw2.internal', 'ops', 2200],
    ]);
  });

  it('expands %h in HostName and applies wildcard blocks', () => {
    const r = resolveSshConfig(CONFIG, 'db.lab', env);
    expect(r.hostName).toBe('db.lab.example.net');
    expect(r.identitiesOnly).toBe(true);
    expect(r.username).toBe('fallback');
  });

  it('an explicit user beats the config, like ssh -l', () => {
    expect(resolveSshConfig(CONFIG, 'kvm1', { ...env, username: 'root' }).username).toBe('root');
  });

  it('an unknown alias is the host itself, with the catch-all defaults', () => {
    const r = resolveSshConfig(CONFIG, 'plain.example.com', env);
    expect(r.hostName).toBe('plain.example.com');
    expect(r.port).toBeUndefined();
    expect(r.jumpHosts).toEqual([]);
  });

  it('never runs Match exec and reports directives it does not honour', () => {
    const r = resolveSshConfig(CONFIG, 'kvm1', env);
    expect(r.port).toBe(2222);
    expect(resolveSshConfig(CONFIG, 'other', env).port).toBeUndefined();
    expect(existsSync('/tmp/virtdeck-must-not-exist')).toBe(false);
    expect(r.ignored).toEqual(expect.arrayContaining(['proxycommand', 'canonicalizehostname']));
  });

  it('stops a ProxyJump loop with a clear error', () => {
    expect(() => resolveSshConfig(CONFIG, 'loop-a', env)).toThrow(/too deep/);
  });

  it('rejects bad ports', () => {
    expect(() => resolveSshConfig('Host x\n  Port 99999\n', 'x', env)).toThrow(/Bad port/);
    expect(() => resolveSshConfig('Host x\n  Port abc\n', 'x', env)).toThrow(/Bad port/);
  });

  it('treats ProxyJump none and IdentityFile none as nothing', () => {
    const r = resolveSshConfig('Host x\n  ProxyJump none\n  IdentityFile none\n', 'x', env);
    expect(r.jumpHosts).toEqual([]);
    expect(r.identityFiles).toEqual([]);
  });
});

describe('parseJumpSpec', () => {
  it('reads user, host, port in the forms ssh accepts', () => {
    expect(parseJumpSpec('gw')).toEqual({ host: 'gw' });
    expect(parseJumpSpec('ops@gw:2200')).toEqual({ host: 'gw', username: 'ops', port: 2200 });
    expect(parseJumpSpec('ssh://ops@gw:2200')).toEqual({ host: 'gw', username: 'ops', port: 2200 });
    expect(parseJumpSpec('ops@[fe80::1]:2200')).toEqual({
      host: 'fe80::1',
      username: 'ops',
      port: 2200,
    });
    expect(parseJumpSpec('[::1]')).toEqual({ host: '::1' });
  });

  it('rejects malformed entries', () => {
    for (const bad of ['', 'gw:0', 'gw:70000', 'a b', 'u@', 'x/y']) {
      expect(() => parseJumpSpec(bad), bad).toThrow();
    }
  });
});

describe('sshOptionsFromConfig', () => {
  it('turns a resolved alias into transport options with OpenSSH’s rules', () => {
    expect(sshOptionsFromConfig(resolveSshConfig(CONFIG, 'db.lab', env))).toEqual({
      host: 'db.lab.example.net',
      username: 'fallback',
      identityFiles: ['/home/ann/.ssh/id_default'],
      // IdentitiesOnly yes: the agent stays out.
      agent: null,
      knownHostsFile: '/home/ann/.ssh/known_hosts_virtdeck',
    });
    const kvm1 = sshOptionsFromConfig(resolveSshConfig(CONFIG, 'kvm1', env));
    expect(kvm1).toMatchObject({ host: 'kvm1.lab.example', port: 2222, username: 'admin' });
    expect(kvm1.agent).toBeUndefined();
    expect(kvm1.jumpHosts).toEqual([
      {
        host: 'bastion.example.org',
        username: 'jump',
        identityFiles: ['/home/ann/.ssh/id_bastion', '/home/ann/.ssh/id_default'],
      },
    ]);
  });

  it('leaves the default key list alone when the config names no IdentityFile', () => {
    const options = sshOptionsFromConfig(
      resolveSshConfig('Host x\n  HostName 10.1.1.1\n', 'x', env),
    );
    expect(options).toEqual({ host: '10.1.1.1' });
  });
});
