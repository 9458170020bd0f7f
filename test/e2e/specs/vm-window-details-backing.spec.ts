import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VmHarness } from '../pages/vm-harness.page';
import { openConnected } from '../pages/vm-session.page';
import { VmWindowPage } from '../pages/vm-window.page';
import { launchBrowser } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

const VM = 'e2e-vmwin-backing';

/**
 * The Details pages' newer editors in Chromium through the web host: memory backing (huge
 * pages, shared memory) and direct kernel boot changed through the preview dialog and read
 * back with virsh, and the CPUs page offering the host's CPU models.
 */
describe('VM window: memory backing, direct kernel boot, CPU models', () => {
  const daemon = inject('libvirtd');
  const harness = new VmHarness(daemon);
  let host: RunningWebHost;
  let browser: Browser;

  beforeAll(async () => {
    await harness.defineGuest(VM, { disk: path.join(daemon.dir, 'e2e-vmwin-backing.qcow2') });
    host = await startWebHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await harness.cleanUp();
  });

  it('edits memory backing and direct kernel boot, and lists CPU models', async () => {
    const { page, vms } = await openConnected(browser, host, daemon);
    await vms.search(VM);
    await vms.waitForRow(VM);
    const vm = await VmWindowPage.openFromList(page.context(), vms, VM);

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
