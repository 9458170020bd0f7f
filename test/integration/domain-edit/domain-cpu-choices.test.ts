import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CpuChoices } from '../../../shared/contract/domain-edit';
import { readCpu, readDomainOverview } from '../../../shared/xml';
import { startVmApp, virsh, type VmApp } from '../vms/vm-test-support';
import { apply, defineTestVm, inactiveDoc, type TestVm } from './domain-edit-support';

/** `domain:cpuChoices` against `virsh domcapabilities` for the VM's own emulator and machine. */
let app: VmApp;
let vm: TestVm;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  app = await startVmApp();
  vm = await defineTestVm(app, 'vd-cpu-choices', cleanups);
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await app.stop();
});

/** virsh's view, read with plain patterns so the check does not reuse our parser. */
async function virshCpuModes(): Promise<{
  modes: Map<string, boolean>;
  models: Map<string, string>;
}> {
  const o = readDomainOverview(await inactiveDoc(vm.name));
  const xml = await virsh([
    'domcapabilities',
    '--virttype',
    o.hypervisor ?? 'qemu',
    '--arch',
    o.arch ?? 'x86_64',
    '--machine',
    o.machine ?? 'pc',
    ...(o.emulator ? ['--emulatorbin', o.emulator] : []),
  ]);
  const cpu = /<cpu>([\s\S]*?)\n {2}<\/cpu>/.exec(xml)?.[1] ?? '';
  const modes = new Map<string, boolean>();
  for (const m of cpu.matchAll(/<mode name='([^']+)' supported='(yes|no)'/g))
    modes.set(m[1] ?? '', m[2] === 'yes');
  const custom = /<mode name='custom' supported='yes'>([\s\S]*?)<\/mode>/.exec(cpu)?.[1] ?? '';
  const models = new Map<string, string>();
  for (const m of custom.matchAll(/<model usable='(yes|no|unknown)'[^>]*>([^<]+)<\/model>/g))
    models.set(m[2] ?? '', m[1] ?? '');
  return { modes, models };
}

describe('domain:cpuChoices', () => {
  it('gives the modes and models virsh domcapabilities gives, usable models first', async () => {
    const got = await app.ok<CpuChoices>('domain:cpuChoices', vm.target);
    const want = await virshCpuModes();
    expect(want.models.size).toBeGreaterThan(0);
    expect(got.hostPassthrough).toBe(want.modes.get('host-passthrough') ?? false);
    expect(got.hostModel).toBe(want.modes.get('host-model') ?? false);
    expect(got.maximum).toBe(want.modes.get('maximum') ?? false);
    expect(new Map(got.models.map((m) => [m.name, m.usable]))).toEqual(want.models);
    const firstUnusable = got.models.findIndex((m) => m.usable !== 'yes');
    if (firstUnusable !== -1)
      expect(got.models.slice(firstUnusable).every((m) => m.usable !== 'yes')).toBe(true);
    // TCG emulates qemu64 everywhere.
    expect(got.models.find((m) => m.name === 'qemu64')?.usable).toBe('yes');
  });

  it('a usable model it offers is accepted by libvirt for mode custom', async () => {
    const got = await app.ok<CpuChoices>('domain:cpuChoices', vm.target);
    const model = got.models.find((m) => m.usable === 'yes' && m.name !== 'qemu64');
    expect(model).toBeDefined();
    await apply(app, vm, { kind: 'cpu', mode: 'custom', model: model?.name ?? '' });
    expect(readCpu(await inactiveDoc(vm.name)).model?.name).toBe(model?.name);
  });

  it('names the VM that does not exist', async () => {
    const error = await app.fails('domain:cpuChoices', {
      connectionId: app.connectionId,
      uuid: '00000000-0000-4000-8000-00000000dead',
    });
    expect(error.kind).not.toBe('internal');
    expect(error.message).toMatch(/CPU choices/);
  });
});
