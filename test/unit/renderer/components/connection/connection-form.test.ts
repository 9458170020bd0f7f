import { describe, expect, it } from 'vitest';
import type { SavedConnection } from '../../../../../shared/contract';
import {
  aliasProblem,
  buildUriInput,
  draftFromForm,
  emptyConnectionForm,
  formFromConnection,
  formUsesSsh,
  parsePort,
  patchFromForm,
  portProblem,
  suggestAlias,
  uriFieldsFromUri,
} from '../../../../../renderer/src/components/connection/connection-form';

const savedSsh: SavedConnection = {
  id: '6f1c1d7e-3a52-4c1e-9a0e-0d3c1b2a4e01',
  alias: 'kvm1',
  uri: 'qemu+ssh://root@kvm1.example.org:2222/system',
  description: 'Rack 3',
  colour: '#10B981',
  autoconnect: true,
  ssh: {
    useAgent: false,
    user: 'ops',
    port: 2200,
    identityFile: '~/.ssh/kvm1',
    proxyJump: 'bastion',
  },
  origin: 'ssh-config',
};

describe('uriFieldsFromUri', () => {
  it('reads back the URIs the dialog generates', () => {
    expect(uriFieldsFromUri('qemu:///system')).toEqual({
      hypervisor: 'qemu-system',
      transport: 'local',
      user: '',
      host: '',
      port: '',
    });
    expect(uriFieldsFromUri('qemu:///session')?.hypervisor).toBe('qemu-session');
    expect(uriFieldsFromUri('lxc:///')?.hypervisor).toBe('lxc');
    expect(uriFieldsFromUri('test:///default')?.hypervisor).toBe('test');
    expect(uriFieldsFromUri('qemu+ssh://root@kvm1.example.org:2222/system')).toEqual({
      hypervisor: 'qemu-system',
      transport: 'ssh',
      user: 'root',
      host: 'kvm1.example.org',
      port: '2222',
    });
    expect(uriFieldsFromUri('qemu+tls://[fd00::1]/system')).toMatchObject({
      transport: 'tls',
      host: 'fd00::1',
    });
    expect(uriFieldsFromUri('qemu+tcp://host/session')).toMatchObject({
      hypervisor: 'qemu-session',
      transport: 'tcp',
    });
  });

  it('gives up on what the fields cannot say, so the URI stays custom', () => {
    for (const uri of [
      'qemu:///system?socket=/tmp/sock',
      'test+unix:///default?socket=/tmp/libvirt-sock',
      'qemu+ext:///system?command=/bin/x',
      'qemu+ssh:///system',
      'qemu://host/system',
      'xen:///system',
      'qemu:///embed',
      'qemu+libssh2://host/system',
      'not a uri',
      '',
    ]) {
      expect(uriFieldsFromUri(uri), uri).toBeNull();
    }
  });
});

describe('buildUriInput', () => {
  it('sends only what a local URI needs', () => {
    const form = { ...emptyConnectionForm(), user: 'root', host: 'ignored', port: '22' };
    expect(buildUriInput(form)).toEqual({ hypervisor: 'qemu-system', transport: 'local' });
  });

  it('sends user, host and port for a remote host, trimmed, and nothing empty', () => {
    const form = {
      ...emptyConnectionForm(),
      hypervisor: 'lxc' as const,
      transport: 'ssh' as const,
      user: ' root ',
      host: ' kvm1 ',
      port: '2222',
    };
    expect(buildUriInput(form)).toEqual({
      hypervisor: 'lxc',
      transport: 'ssh',
      user: 'root',
      host: 'kvm1',
      port: 2222,
    });
    expect(buildUriInput({ ...form, user: '', port: '' })).toEqual({
      hypervisor: 'lxc',
      transport: 'ssh',
      host: 'kvm1',
    });
  });

  it('has nothing to build while a remote host is missing', () => {
    expect(buildUriInput({ ...emptyConnectionForm(), transport: 'tls', host: '  ' })).toBeNull();
  });
});

describe('ports', () => {
  it('accepts whole numbers 1…65535 only', () => {
    expect(parsePort('22')).toBe(22);
    expect(parsePort(' 65535 ')).toBe(65535);
    for (const bad of ['0', '65536', '-1', '22.5', 'ssh', '1e3', '']) {
      expect(parsePort(bad), bad).toBeNull();
    }
    expect(portProblem('')).toBeNull();
    expect(portProblem('70000')).toBe('range');
  });
});

describe('aliasProblem', () => {
  it("applies the contract's rules and refuses a taken alias, case-sensitively", () => {
    expect(aliasProblem('', [])).toBe('required');
    expect(aliasProblem('my host', [])).toBe('pattern');
    expect(aliasProblem('ümlaut', [])).toBe('pattern');
    expect(aliasProblem('a'.repeat(65), [])).toBe('tooLong');
    expect(aliasProblem('a'.repeat(64), [])).toBeNull();
    expect(aliasProblem('lab-2_b', [])).toBeNull();
    expect(aliasProblem('lab', ['lab'])).toBe('duplicate');
    expect(aliasProblem('Lab', ['lab'])).toBeNull();
  });

  it('suggests an alias the rules allow from a host name', () => {
    expect(suggestAlias('kvm1.example.org')).toBe('kvm1-example-org');
    expect(suggestAlias(' [fd00::1] ')).toBe('fd00-1');
    expect(aliasProblem(suggestAlias('a'.repeat(80)), [])).toBeNull();
  });
});

describe('form ⇄ saved connection', () => {
  it('fills the form from a saved connection', () => {
    const form = formFromConnection(savedSsh);
    expect(form).toMatchObject({
      hypervisor: 'qemu-system',
      transport: 'ssh',
      user: 'root',
      host: 'kvm1.example.org',
      port: '2222',
      uri: savedSsh.uri,
      customUri: false,
      alias: 'kvm1',
      description: 'Rack 3',
      colour: '#10B981',
      identityFile: '~/.ssh/kvm1',
      useAgent: false,
      proxyJump: 'bastion',
    });
    expect(
      formFromConnection({ ...savedSsh, uri: 'test+unix:///default?socket=/s' }).customUri,
    ).toBe(true);
  });

  it('drafts exactly what the dialog shows, leaving empty fields out', () => {
    const form = {
      ...emptyConnectionForm(),
      alias: 'web',
      uri: ' test:///default ',
      description: '  ',
      autoconnect: false,
    };
    expect(draftFromForm(form)).toEqual({
      alias: 'web',
      uri: 'test:///default',
      autoconnect: false,
      ssh: { useAgent: true },
    });
  });

  it('sends the alias as typed, so the host judges it', () => {
    expect(draftFromForm({ ...emptyConnectionForm(), alias: 'my host' }).alias).toBe('my host');
  });

  it('patches cleared fields as null and keeps SSH user and port it does not show', () => {
    const form = { ...formFromConnection(savedSsh), description: '', colour: null, proxyJump: '' };
    expect(patchFromForm(form, savedSsh)).toEqual({
      alias: 'kvm1',
      uri: savedSsh.uri,
      description: null,
      colour: null,
      autoconnect: true,
      ssh: { useAgent: false, user: 'ops', port: 2200, identityFile: '~/.ssh/kvm1' },
    });
  });

  it('knows when SSH settings matter', () => {
    expect(formUsesSsh({ ...emptyConnectionForm(), transport: 'ssh' })).toBe(true);
    expect(formUsesSsh({ ...emptyConnectionForm(), transport: 'tls' })).toBe(false);
    const custom = { ...emptyConnectionForm(), customUri: true, transport: 'local' as const };
    expect(formUsesSsh({ ...custom, uri: 'qemu+ssh://h/system' })).toBe(true);
    expect(formUsesSsh({ ...custom, uri: 'qemu+libssh2://h/system' })).toBe(true);
    expect(formUsesSsh({ ...custom, uri: 'qemu+tcp://h/system' })).toBe(false);
  });
});
