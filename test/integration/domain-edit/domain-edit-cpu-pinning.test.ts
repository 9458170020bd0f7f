import { describe, expect, it } from 'vitest';
import type {
  DomainEdit,
  DomainEditPreview,
  PendingChange,
} from '../../../shared/contract/domain-edit';
import { readCputune } from '../../../shared/xml';
import { virsh, type VmApp } from '../vms/vm-test-support';
import {
  apply,
  dumpXml,
  inactiveDoc,
  liveDoc,
  type TestVm,
  withEditTestVms,
} from './domain-edit-support';

/**
 * CPU pinning (`<cputune><vcpupin|emulatorpin>`), read back with `virsh dumpxml` and, while
 * running, with `virsh vcpupin` / `emulatorpin`. The host has 2 CPUs: cpusets 0, 1 and 0-1.
 */
let app: VmApp;
let vm: TestVm;
let running: TestVm;
withEditTestVms('vd-edit-pin', (ready) => {
  ({ app, vm, running } = ready);
});

/** `virsh vcpupin <vm> <vcpu> --live` → the affinity it prints, e.g. "1" or "0-1". */
async function liveVcpuAffinity(name: string, vcpu: number): Promise<string | undefined> {
  const out = await virsh(['vcpupin', name, String(vcpu), '--live']);
  return new RegExp(`^\\s*${vcpu}\\s+(\\S+)\\s*$`, 'm').exec(out)?.[1];
}

async function liveEmulatorAffinity(name: string): Promise<string | undefined> {
  const out = await virsh(['emulatorpin', name, '--live']);
  return /^\s*\*:\s+(\S+)\s*$/m.exec(out)?.[1];
}

describe('CPU pinning on a shut-off VM', () => {
  it('pins vCPUs and the emulator, changes one pin, and unpins with null or empty', async () => {
    await apply(app, vm, {
      kind: 'cpuPinning',
      vcpus: [
        { vcpu: 0, cpuset: '0' },
        { vcpu: 1, cpuset: '0-1' },
      ],
      emulator: '1',
    });
    let tune = readCputune(await inactiveDoc(vm.name));
    expect(tune.vcpupins).toEqual([
      { vcpu: 0, cpuset: '0' },
      { vcpu: 1, cpuset: '0-1' },
    ]);
    expect(tune.emulatorpin).toBe('1');

    // Only what is named changes.
    await apply(app, vm, { kind: 'cpuPinning', vcpus: [{ vcpu: 1, cpuset: '1' }] });
    tune = readCputune(await inactiveDoc(vm.name));
    expect(tune.vcpupins).toEqual([
      { vcpu: 0, cpuset: '0' },
      { vcpu: 1, cpuset: '1' },
    ]);
    expect(tune.emulatorpin).toBe('1');

    await apply(app, vm, {
      kind: 'cpuPinning',
      vcpus: [
        { vcpu: 0, cpuset: null },
        { vcpu: 1, cpuset: '' },
      ],
      emulator: null,
    });
    expect(await dumpXml(vm.name, true)).not.toMatch(/<vcpupin|<emulatorpin/);
  });

  it('refuses a bad cpuset, an unknown or twice-named vCPU, naming the field', async () => {
    await apply(app, vm, { kind: 'cpuPinning', emulator: '0' });
    const before = await dumpXml(vm.name, true);
    const cases = [
      [{ vcpus: [{ vcpu: 0, cpuset: '0-x' }] }, 'edit.vcpus.0.cpuset', /not a CPU list/],
      [{ vcpus: [{ vcpu: 0, cpuset: '1-0' }] }, 'edit.vcpus.0.cpuset', /bad range/],
      [{ vcpus: [{ vcpu: 1, cpuset: '0,^0' }] }, 'edit.vcpus.0.cpuset', /leaves no CPU/],
      [{ vcpus: [{ vcpu: 2, cpuset: '0' }] }, 'edit.vcpus.0.vcpu', /vCPUs 0 to 1/],
      [
        {
          vcpus: [
            { vcpu: 1, cpuset: '0' },
            { vcpu: 1, cpuset: '1' },
          ],
        },
        'edit.vcpus.1.vcpu',
        /pinned twice/,
      ],
      [{ emulator: '0-3,^2,5,' }, 'edit.emulator', /emulator pinning/],
    ] as const;
    for (const [fields, path, message] of cases) {
      const err = await app.fails('domain:applyEdit', {
        ...vm.target,
        edit: { kind: 'cpuPinning', ...fields },
      });
      expect(err).toMatchObject({ kind: 'validation', path });
      expect(err.message).toMatch(message);
    }
    expect(await dumpXml(vm.name, true)).toBe(before);
  });

  it('accepts exclusions like 0-1,^0', async () => {
    await apply(app, vm, { kind: 'cpuPinning', vcpus: [{ vcpu: 0, cpuset: '0-1,^0' }] });
    expect(readCputune(await inactiveDoc(vm.name)).vcpupins[0]?.vcpu).toBe(0);
    expect(await dumpXml(vm.name, true)).toMatch(/<vcpupin vcpu='0' cpuset='1'\/>/);
  });
});

describe('CPU pinning on a running VM', () => {
  it('pins live and persistently at once, nothing pending', async () => {
    const edit: DomainEdit = {
      kind: 'cpuPinning',
      vcpus: [{ vcpu: 0, cpuset: '1' }],
      emulator: '0',
    };
    const preview = await app.ok<DomainEditPreview>('domain:previewEdit', {
      ...running.target,
      edit,
    });
    expect(preview.applyLive).toBe(true);
    expect(preview.pendingUntilShutdown).toEqual([]);
    const result = await apply(app, running, edit);
    expect(result.liveActions).toEqual([
      'pin vCPU 0 to host CPUs 1',
      'pin the emulator to host CPUs 0',
    ]);
    expect(await liveVcpuAffinity(running.name, 0)).toBe('1');
    expect(await liveEmulatorAffinity(running.name)).toBe('0');
    const tune = readCputune(await inactiveDoc(running.name));
    expect(tune.vcpupins).toEqual([{ vcpu: 0, cpuset: '1' }]);
    expect(tune.emulatorpin).toBe('0');
    expect(readCputune(await liveDoc(running.name)).emulatorpin).toBe('0');
    const got = await app.ok<{ pending: PendingChange[] }>('domain:pending', running.target);
    expect(got.pending.map((p) => p.part)).not.toContain('cputune.pin');
  });

  it('unpins live to all host CPUs', async () => {
    await apply(app, running, { kind: 'cpuPinning', vcpus: [{ vcpu: 0, cpuset: null }] });
    expect(await liveVcpuAffinity(running.name, 0)).toBe('0-1');
    expect(readCputune(await inactiveDoc(running.name)).vcpupins).toEqual([]);
  });

  it('with persistentOnly, saves for the next boot and reports it pending', async () => {
    await apply(app, running, { kind: 'cpuPinning', emulator: '1' }, true);
    expect(readCputune(await inactiveDoc(running.name)).emulatorpin).toBe('1');
    expect(await liveEmulatorAffinity(running.name)).toBe('0');
    const got = await app.ok<{ pending: PendingChange[] }>('domain:pending', running.target);
    expect(got.pending.map((p) => p.part)).toContain('cputune.pin');
  });
});
