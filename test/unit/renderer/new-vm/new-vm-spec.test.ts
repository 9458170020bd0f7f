import { describe, expect, it } from 'vitest';
import { newVmSpecSchema, newVmSteps } from '../../../../shared/contract';
import {
  addSshKeys,
  emptyNewVmForm,
  sshKeyLines,
  type NewVmForm,
} from '../../../../renderer/src/components/new-vm/new-vm-form';
import {
  PLACEHOLDER_NAME,
  localProblems,
  problemsOn,
  specForStep,
  stepOfField,
  unplacedProblems,
} from '../../../../renderer/src/components/new-vm/new-vm-spec';

const CONN = '00000000-0000-4000-8000-0000000000c1';
const KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0zBnh7y6Q1ynYHdDc6v6Rj2M7Bq0rJx8bAQH4u1o3f me@laptop';

function form(change: (f: NewVmForm) => void = () => undefined): NewVmForm {
  const f = emptyNewVmForm(CONN, { storageFormat: 'qcow2', firmware: 'uefi', graphics: 'vnc' });
  f.arch = 'x86_64';
  f.media = { kind: 'volume', pool: 'default', volume: 'debian.iso', path: '', file: null };
  f.storage.pool = 'default';
  f.name = 'debian12';
  f.network = { type: 'user', network: '', bridge: '', dev: '', mode: 'vepa' };
  change(f);
  return f;
}

describe('specForStep', () => {
  it('assembles the whole spec from the form on the last step', () => {
    const spec = specForStep(form(), 'finish');
    expect(spec).toEqual({
      connectionId: CONN,
      arch: 'x86_64',
      method: { kind: 'media', media: { kind: 'volume', pool: 'default', volume: 'debian.iso' } },
      osId: null,
      memoryBytes: 1024 ** 3,
      vcpus: 1,
      storage: { kind: 'new', pool: 'default', size: { value: 20, unit: 'GiB' }, format: 'qcow2' },
      name: 'debian12',
      network: { type: 'user' },
      firmware: 'efi',
      secureBoot: false,
      tpm: false,
      graphics: 'vnc',
    });
    expect(newVmSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('fills later steps with values the schema accepts, whatever the form holds there', () => {
    const f = form((x) => {
      x.name = '';
      x.memoryMiB = 0;
      x.storage.pool = '';
      x.method = 'tree';
    });
    const spec = specForStep(f, 'host');
    expect(spec.name).toBe(PLACEHOLDER_NAME);
    expect(spec.method).toEqual({ kind: 'manual' });
    expect(spec.storage).toEqual({ kind: 'none' });
    expect(spec.network).toBeNull();
    expect(newVmSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('turns the cloud-init fields into the contract: keys per line, empty optionals left out', () => {
    const f = form((x) => {
      x.method = 'cloud';
      x.cloud.base = { kind: 'path', pool: '', volume: '', path: '/srv/base.qcow2', file: null };
      x.cloud.init = {
        user: ' alice ',
        password: '',
        sshKeys: `\n${KEY}\n# a comment\n\n`,
        hostname: 'box1',
        userData: '',
      };
    });
    const spec = specForStep(f, 'method');
    expect(spec.method).toEqual({
      kind: 'cloud',
      base: { kind: 'path', path: '/srv/base.qcow2' },
      mode: 'clone',
      cloudInit: { user: 'alice', sshKeys: [KEY], hostname: 'box1' },
    });
    expect(newVmSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('gives an import no other storage, and a tree only the optional fields given', () => {
    const imported = specForStep(
      form((x) => {
        x.method = 'import';
        x.importDisk = { kind: 'volume', pool: 'p', volume: 'disk.qcow2', path: '', file: null };
      }),
      'finish',
    );
    expect(imported.storage).toEqual({ kind: 'none' });
    const tree = specForStep(
      form((x) => {
        x.method = 'tree';
        x.tree = { url: 'http://127.0.0.1/tree/', kernelArgs: ' ', autoinstallUrl: '' };
      }),
      'method',
    );
    expect(tree.method).toEqual({ kind: 'tree', url: 'http://127.0.0.1/tree/' });
  });

  it('names an upload by its target volume and leaves a driver ISO out unless asked for', () => {
    const f = form((x) => {
      x.media = { kind: 'upload', pool: 'isos', volume: 'x.iso', path: '', file: null };
      x.driverIso = {
        enabled: false,
        file: { kind: 'path', pool: '', volume: '', path: '/srv/virtio-win.iso', file: null },
      };
    });
    expect(specForStep(f, 'finish').method).toEqual({
      kind: 'media',
      media: { kind: 'volume', pool: 'isos', volume: 'x.iso' },
    });
    expect(specForStep(f, 'finish')).not.toHaveProperty('driverIso');
    f.driverIso.enabled = true;
    expect(specForStep(f, 'finish').driverIso).toEqual({
      kind: 'path',
      path: '/srv/virtio-win.iso',
    });
  });
});

describe('localProblems', () => {
  it('finds nothing wrong in a complete form', () => {
    for (const step of newVmSteps) expect(localProblems(form(), step)).toEqual([]);
  });

  it('puts an empty name and a bad name on the last step, and only there', () => {
    const empty = form((x) => (x.name = ''));
    expect(localProblems(empty, 'storage')).toEqual([]);
    expect(localProblems(empty, 'finish')).toEqual([
      { step: 'finish', field: 'name', message: 'A name is required', severity: 'error' },
    ]);
    const dotted = localProblems(
      form((x) => (x.name = '.hidden')),
      'finish',
    );
    expect(dotted.map((p) => [p.field, p.severity])).toEqual([['name', 'error']]);
  });

  it('reports a relative path and a missing login on the method step', () => {
    const f = form((x) => {
      x.method = 'cloud';
      x.cloud.base = { kind: 'path', pool: '', volume: '', path: 'base.qcow2', file: null };
      x.cloud.init.hostname = 'box';
    });
    const problems = localProblems(f, 'method');
    expect(problems.every((p) => p.step === 'method')).toBe(true);
    expect(problemsOn(problems, 'method.base', 'error')).toEqual([
      'The path must be an absolute path on the host (start with /)',
    ]);
    expect(problemsOn(problems, 'method.cloudInit', 'error')).toEqual([
      'Give a password, an SSH key or user-data, or nobody can log in',
    ]);
  });

  it('reports too little memory on the resources step and a network without a source', () => {
    const f = form((x) => {
      x.memoryMiB = 8;
      x.network = { type: 'network', network: '', bridge: '', dev: '', mode: 'vepa' };
    });
    expect(localProblems(f, 'resources').map((p) => p.field)).toEqual(['memoryBytes']);
    expect(localProblems(f, 'finish').map((p) => p.field)).toEqual(['network', 'memoryBytes']);
    f.withNetwork = false;
    expect(specForStep(f, 'finish').network).toBeNull();
  });
});

describe('problem placement', () => {
  it('maps spec fields to the step that asks for them', () => {
    expect(stepOfField('connectionId')).toBe('host');
    expect(stepOfField('method.media.path')).toBe('method');
    expect(stepOfField('osId')).toBe('os');
    expect(stepOfField('vcpus')).toBe('resources');
    expect(stepOfField('storage.size')).toBe('storage');
    expect(stepOfField('network')).toBe('finish');
  });

  it('splits problems between fields and the step alert', () => {
    const problems = [
      { step: 'storage', field: 'storage.size', message: 'too big', severity: 'error' },
      { step: 'storage', field: 'storage', message: 'pool gone', severity: 'error' },
      { step: 'storage', field: 'storage.size', message: 'sparse', severity: 'warning' },
    ] as const;
    expect(problemsOn(problems, 'storage.size', 'error')).toEqual(['too big']);
    expect(problemsOn(problems, 'storage.size', 'warning')).toEqual(['sparse']);
    expect(unplacedProblems(problems, ['storage.size']).map((p) => p.message)).toEqual([
      'pool gone',
    ]);
  });
});

describe('SSH keys', () => {
  it('splits pasted text and adds a .pub file without duplicates', () => {
    expect(sshKeyLines(` ${KEY} \r\n\r\n# c\n`)).toEqual([KEY]);
    const other = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ other';
    expect(addSshKeys(KEY, `${KEY}\n${other}\n`)).toBe(`${KEY}\n${other}`);
  });
});
