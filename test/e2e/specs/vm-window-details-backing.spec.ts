import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { vmWindowSuite } from '../support/vm-window-suite';

const VM = 'e2e-vmwin-backing';

/**
 * The Details pages' newer editors in Chromium through the web host: memory backing (huge
 * pages, shared memory) and direct kernel boot changed through the preview dialog and read
 * back with virsh, and the CPUs page offering the host's CPU models.
 */
describe('VM window: memory backing, direct kernel boot, CPU models', () => {
  const suite = vmWindowSuite(async (harness, daemon) => {
    await harness.defineGuest(VM, { disk: path.join(daemon.dir, 'e2e-vmwin-backing.qcow2') });
  });
  const { harness } = suite;

  it('edits memory backing and direct kernel boot, and lists CPU models', async () => {
    const vm = await suite.openVm(VM);

    await vm.openPage('Memory');
    await vm.page.getByRole('checkbox', { name: 'Huge pages' }).check();
    await vm.page.getByRole('checkbox', { name: 'Shared memory' }).check();
    await vm.applyButton('memory-backing-apply').click();
    await vm.preview.getByTestId('edit-preview-diff').waitFor();
    const diff = await vm.preview.getByTestId('edit-preview-diff').innerText();
    expect(diff).toContain("+    <source type='memfd'/>");
    expect(diff).toContain("+    <access mode='shared'/>");
    expect(diff).toContain('+    <hugepages/>');
    await vm.confirmPreview();
    const afterBacking = await harness.virsh('dumpxml', '--inactive', VM);
    expect(afterBacking).toMatch(/<memoryBacking>[\s\S]*<hugepages\/>[\s\S]*<\/memoryBacking>/);
    expect(afterBacking).toContain("<source type='memfd'/>");
    expect(afterBacking).toContain("<access mode='shared'/>");

    await vm.openPage('Boot options');
    await vm.page.getByText('The VM boots through its firmware.').waitFor();
    await vm.page.getByTestId('boot-kernel-kernel').locator('input').fill('/var/lib/e2e/vmlinuz');
    await vm.page.getByTestId('boot-kernel-cmdline').locator('input').fill('console=ttyS0');
    await vm.applyButton('boot-kernel-apply').click();
    await vm.confirmPreview();
    const afterKernel = await harness.virsh('dumpxml', '--inactive', VM);
    expect(afterKernel).toContain('<kernel>/var/lib/e2e/vmlinuz</kernel>');
    expect(afterKernel).toContain('<cmdline>console=ttyS0</cmdline>');
    expect(afterKernel).not.toContain('<initrd>');

    await vm.openPage('CPUs');
    // The named model is a combobox of the host's models, filtered as one types.
    const model = vm.page.getByRole('combobox', { name: 'Named model' });
    await model.click();
    await model.fill('qemu');
    await vm.page.getByRole('option', { name: 'qemu32', exact: true }).waitFor();
    await vm.page.getByRole('option', { name: 'qemu64', exact: true }).waitFor();
  });
});
