import { describe, expect, it } from 'vitest';
import type { DomainEditPreview, PendingChange } from '../../../shared/contract/domain-edit';
import { readMemoryBacking } from '../../../shared/xml';
import type { VmApp } from '../vms/vm-test-support';
import {
  apply,
  dumpXml,
  inactiveDoc,
  liveDoc,
  type TestVm,
  withEditTestVms,
} from './domain-edit-support';

/** Huge pages and shared memory (`<memoryBacking>`), read back with `virsh dumpxml --inactive`. */
let app: VmApp;
let vm: TestVm;
let running: TestVm;
withEditTestVms('vd-edit-membacking', (ready) => {
  ({ app, vm, running } = ready);
});

describe('memoryBacking edits on a shut-off VM', () => {
  it('previews shared memory as memfd source with shared access, changing nothing', async () => {
    const before = await dumpXml(vm.name, true);
    const preview = await app.ok<DomainEditPreview>('domain:previewEdit', {
      ...vm.target,
      edit: { kind: 'memoryBacking', sharedMemory: true },
    });
    expect(preview.diff.split('\n').filter((l) => /^[+-][^+-]/.test(l))).toEqual([
      '+  <memoryBacking>',
      "+    <source type='memfd'/>",
      "+    <access mode='shared'/>",
      '+  </memoryBacking>',
    ]);
    expect(preview).toMatchObject({ applyLive: false, pendingUntilShutdown: [] });
    expect(await dumpXml(vm.name, true)).toBe(before);
  });

  it('turns huge pages and shared memory on and off, each on its own', async () => {
    await apply(app, vm, { kind: 'memoryBacking', hugepages: true, sharedMemory: true });
    expect(readMemoryBacking(await inactiveDoc(vm.name))).toMatchObject({
      hugepages: true,
      pages: [],
      source: 'memfd',
      access: 'shared',
    });

    await apply(app, vm, { kind: 'memoryBacking', hugepages: false });
    expect(readMemoryBacking(await inactiveDoc(vm.name))).toMatchObject({
      hugepages: false,
      source: 'memfd',
      access: 'shared',
    });

    await apply(app, vm, { kind: 'memoryBacking', sharedMemory: false });
    const off = readMemoryBacking(await inactiveDoc(vm.name));
    expect(off).toMatchObject({ hugepages: false, source: undefined, access: undefined });
    expect(await dumpXml(vm.name, true)).not.toContain('<memoryBacking');
  });

  it('refuses an edit that names neither part, changing nothing', async () => {
    const before = await dumpXml(vm.name, true);
    const error = await app.fails('domain:applyEdit', {
      ...vm.target,
      edit: { kind: 'memoryBacking' },
    });
    expect(error).toMatchObject({ kind: 'validation' });
    expect(error.message).toMatch(/huge pages or shared memory/);
    expect(await dumpXml(vm.name, true)).toBe(before);
  });
});

describe('memoryBacking edits on a running VM', () => {
  it('saves the change for the next boot and reports it pending', async () => {
    const preview = await app.ok<DomainEditPreview>('domain:previewEdit', {
      ...running.target,
      edit: { kind: 'memoryBacking', hugepages: true, sharedMemory: true },
    });
    expect(preview.applyLive).toBe(false);
    expect(preview.pendingUntilShutdown.map((p) => p.part)).toEqual(['memoryBacking']);

    const result = await apply(app, running, {
      kind: 'memoryBacking',
      hugepages: true,
      sharedMemory: true,
    });
    expect(result.liveActions).toEqual([]);
    expect(result.pending.map((p) => p.part)).toContain('memoryBacking');
    expect(readMemoryBacking(await inactiveDoc(running.name))).toMatchObject({
      hugepages: true,
      source: 'memfd',
      access: 'shared',
    });
    // The running guest keeps the memory it booted with.
    expect(readMemoryBacking(await liveDoc(running.name))).toMatchObject({
      hugepages: false,
      source: undefined,
      access: undefined,
    });
    const got = await app.ok<{ pending: PendingChange[] }>('domain:pending', running.target);
    expect(got.pending.map((p) => p.part)).toContain('memoryBacking');
  });
});
