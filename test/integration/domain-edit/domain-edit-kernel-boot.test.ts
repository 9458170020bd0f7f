import { describe, expect, it } from 'vitest';
import type { DomainEditPreview, PendingChange } from '../../../shared/contract/domain-edit';
import { readOsBoot } from '../../../shared/xml';
import type { VmApp } from '../vms/vm-test-support';
import {
  apply,
  dumpXml,
  inactiveDoc,
  liveDoc,
  type TestVm,
  withEditTestVms,
} from './domain-edit-support';

/** Direct kernel boot (`<os><kernel|initrd|cmdline|dtb>`), read back with `virsh dumpxml`. */
let app: VmApp;
let vm: TestVm;
let running: TestVm;
withEditTestVms('vd-edit-kernel', (ready) => {
  ({ app, vm, running } = ready);
});

describe('direct kernel boot on a shut-off VM', () => {
  it('sets all four fields, replaces them as a whole, and removes them with null', async () => {
    await apply(app, vm, {
      kind: 'directKernelBoot',
      boot: {
        kernel: '/var/lib/vd/vmlinuz',
        initrd: '/var/lib/vd/initrd.img',
        cmdline: 'console=ttyS0 root=/dev/vda1 quiet',
        dtb: '/var/lib/vd/board.dtb',
      },
    });
    expect(readOsBoot(await inactiveDoc(vm.name))).toMatchObject({
      kernel: '/var/lib/vd/vmlinuz',
      initrd: '/var/lib/vd/initrd.img',
      cmdline: 'console=ttyS0 root=/dev/vda1 quiet',
      dtb: '/var/lib/vd/board.dtb',
    });

    // An omitted field is removed: the object is the whole direct kernel boot.
    await apply(app, vm, {
      kind: 'directKernelBoot',
      boot: { kernel: '/var/lib/vd/vmlinuz-2', cmdline: 'console=ttyS0' },
    });
    expect(readOsBoot(await inactiveDoc(vm.name))).toMatchObject({
      kernel: '/var/lib/vd/vmlinuz-2',
      initrd: undefined,
      cmdline: 'console=ttyS0',
      dtb: undefined,
    });

    await apply(app, vm, { kind: 'directKernelBoot', boot: null });
    const xml = await dumpXml(vm.name, true);
    expect(xml).not.toMatch(/<kernel>|<initrd>|<cmdline>|<dtb>/);
    expect(readOsBoot(await inactiveDoc(vm.name)).kernel).toBeUndefined();
  });

  it('refuses a relative path or a multi-line command line, naming the field', async () => {
    const before = await dumpXml(vm.name, true);
    const relative = await app.fails('domain:applyEdit', {
      ...vm.target,
      edit: { kind: 'directKernelBoot', boot: { kernel: 'vmlinuz' } },
    });
    expect(relative).toMatchObject({ kind: 'validation', path: 'edit.boot.kernel' });
    expect(relative.message).toMatch(/must be absolute/);
    const twoLines = await app.fails('domain:applyEdit', {
      ...vm.target,
      edit: { kind: 'directKernelBoot', boot: { kernel: '/k', cmdline: 'a\nb' } },
    });
    expect(twoLines).toMatchObject({ kind: 'validation', path: 'edit.boot.cmdline' });
    expect(await dumpXml(vm.name, true)).toBe(before);
  });
});

describe('direct kernel boot on a running VM', () => {
  it('is saved for the next boot and reported pending', async () => {
    const edit = {
      kind: 'directKernelBoot',
      boot: { kernel: '/var/lib/vd/vmlinuz', cmdline: 'console=ttyS0' },
    } as const;
    const preview = await app.ok<DomainEditPreview>('domain:previewEdit', {
      ...running.target,
      edit,
    });
    expect(preview.applyLive).toBe(false);
    expect(preview.pendingUntilShutdown.map((p) => p.part)).toEqual(['os.kernel']);
    const result = await apply(app, running, edit);
    expect(result.liveActions).toEqual([]);
    expect(readOsBoot(await inactiveDoc(running.name)).kernel).toBe('/var/lib/vd/vmlinuz');
    expect(readOsBoot(await liveDoc(running.name)).kernel).toBeUndefined();
    const got = await app.ok<{ pending: PendingChange[] }>('domain:pending', running.target);
    expect(got.pending.map((p) => p.part)).toContain('os.kernel');
  });
});
