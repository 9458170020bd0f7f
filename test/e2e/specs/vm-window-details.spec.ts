import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import { VmHarness } from '../pages/vm-harness.page';
import { openConnected } from '../pages/vm-session.page';
import { VmWindowPage } from '../pages/vm-window.page';
import { launchBrowser } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

const OFF = 'e2e-vmwin-off';
const RUN = 'e2e-vmwin-run';

/** The persistent definition as libvirt stores it (virsh, beside the app). */
function vcpuElement(xml: string): string {
  return /<vcpu[^>]*>\d+<\/vcpu>/.exec(xml)?.[0] ?? '(none)';
}
function kib(xml: string, element: 'memory' | 'currentMemory'): number {
  const m = new RegExp(`<${element} unit='KiB'>(\\d+)</${element}>`).exec(xml);
  return m ? Number(m[1]) : NaN;
}

/**
 * The VM window as a new user meets it in Chromium through the web host: opened from the
 * list (double-click, and "Open" from the context menu), Details pages changing a shut-off
 * VM's vCPUs and memory through the preview dialog (checked with virsh), and on a running
 * QEMU (TCG) guest a change that waits for the next shutdown, marked as pending.
 */
describe('VM window: Details (web host, Chromium, harness libvirtd)', () => {
  const daemon = inject('libvirtd');
  const harness = new VmHarness(daemon);
  let host: RunningWebHost;
  let browser: Browser;

  beforeAll(async () => {
    // The disk file need not exist for a VM that is only defined: the test removes it.
    await harness.defineGuest(OFF, { disk: path.join(daemon.dir, 'e2e-vmwin-absent.qcow2') });
    // Room for one more vCPU, so a hot-plug can happen while it runs.
    const runXml = firmwareVncGuestXml({ name: RUN, uuid: randomUUID() }).replace(
      '<vcpu>1</vcpu>',
      "<vcpu placement='static' current='1'>2</vcpu>",
    );
    const runFile = path.join(daemon.dir, `${RUN}.xml`);
    await writeFile(runFile, runXml, { mode: 0o644 });
    await harness.virsh('define', runFile);
    await harness.virsh('start', RUN);
    host = await startWebHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await harness.cleanUp();
    await harness.virsh('destroy', RUN).catch(() => undefined);
    await harness.virsh('undefine', RUN).catch(() => undefined);
  });

  async function session() {
    const connected = await openConnected(browser, host, daemon);
    await connected.vms.search('e2e-vmwin');
    await connected.vms.waitForRow(OFF);
    await connected.vms.waitForRow(RUN);
    return connected;
  }

  it('opens a shut-off VM by double-click and changes its vCPUs and memory', async () => {
    const { page, vms } = await session();
    const vm = await VmWindowPage.openFromList(page.context(), vms, OFF);
    expect(await vm.page.title()).toBe(OFF);
    expect((await vm.state.innerText()).trim()).toContain('Shut off');
    expect(await vm.tab('Details').getAttribute('aria-selected')).toBe('true');
    for (const tab of ['Console', 'Details', 'Performance', 'XML']) {
      expect(await vm.tab(tab).isVisible()).toBe(true);
    }
    // The devices of the definition are listed under the general pages.
    await vm.nav.getByText('Display vnc').waitFor();

    await vm.openPage('CPUs');
    await vm.field('Maximum vCPUs').fill('3');
    await vm.field('vCPUs').fill('2');
    await vm.applyButton('vcpus-apply').click();
    await vm.preview.getByTestId('edit-preview-diff').waitFor();
    const diff = await vm.preview.getByTestId('edit-preview-diff').innerText();
    expect(diff).toContain("+  <vcpu placement='static' current='2'>3</vcpu>");
    await vm.confirmPreview();
    const afterCpu = await harness.virsh('dumpxml', '--inactive', OFF);
    expect(vcpuElement(afterCpu)).toBe("<vcpu placement='static' current='2'>3</vcpu>");

    await vm.openPage('Memory');
    expect(await vm.field('Maximum memory').inputValue()).toBe('64');
    await vm.field('Maximum memory').fill('128');
    await vm.field('Current memory').fill('96');
    await vm.applyButton('memory-apply').click();
    await vm.confirmPreview();
    const afterMemory = await harness.virsh('dumpxml', '--inactive', OFF);
    expect(kib(afterMemory, 'memory')).toBe(128 * 1024);
    expect(kib(afterMemory, 'currentMemory')).toBe(96 * 1024);
    // Nothing else moved: the vCPUs are as the first edit left them.
    expect(vcpuElement(afterMemory)).toBe("<vcpu placement='static' current='2'>3</vcpu>");
    // Shut off: nothing can be pending.
    expect(await vm.page.getByTestId('pending-chip').count()).toBe(0);

    // Remove goes through the same preview.
    await vm.openPage('Disk vda');
    await vm.nav.getByRole('button', { name: 'Remove', exact: true }).click();
    await vm.preview.getByTestId('edit-preview-diff').waitFor();
    expect(await vm.preview.getByTestId('edit-preview-diff').innerText()).toContain(
      "-    <disk type='file' device='disk'>",
    );
    await vm.confirmPreview();
    await vm.nav.getByText('Disk vda', { exact: true }).waitFor({ state: 'detached' });
    expect(await harness.virsh('dumpxml', '--inactive', OFF)).not.toContain("dev='vda'");
  });

  it('hot-plugs a vCPU into a running VM and marks a new maximum as pending', async () => {
    const { page, vms } = await session();
    await vms.waitForState(RUN, 'Running');
    const vm = await VmWindowPage.openFromMenu(page.context(), vms, RUN);
    expect((await vm.state.innerText()).trim()).toContain('Running');
    expect(await vm.actions.getByRole('button', { name: 'Shut down' }).isVisible()).toBe(true);

    await vm.openPage('CPUs');
    expect(await vm.pendingChip('vcpu.maximum').count()).toBe(0);
    // Up to the running maximum, vCPUs are added live.
    await vm.field('vCPUs').fill('2');
    await vm.applyButton('vcpus-apply').click();
    const liveList = vm.preview.getByTestId('edit-preview-live');
    await liveList.waitFor();
    expect(await liveList.innerText()).toContain('hot-plug vCPUs: 1 → 2');
    await vm.confirmPreview();
    expect((await harness.virsh('vcpucount', RUN, '--live', '--active')).trim()).toBe('2');
    expect(await vm.page.getByTestId('pending-chip').count()).toBe(0);
    // Removing one again is not offered while it runs: the page says why.
    await vm.field('vCPUs').fill('1');
    await vm.page.getByTestId('vcpus-remove-live').waitFor();
    expect(await vm.applyButton('vcpus-apply').isDisabled()).toBe(true);

    await vm.field('vCPUs').fill('2');
    await vm.field('Maximum vCPUs').fill('3');
    await vm.applyButton('vcpus-apply').click();
    const pendingList = vm.preview.getByTestId('edit-preview-pending');
    await pendingList.waitFor();
    expect(await pendingList.innerText()).toContain('Maximum vCPUs');
    await vm.confirmPreview();

    await vm.pendingChip('vcpu.maximum').waitFor({ timeout: 15_000 });
    const inactive = await harness.virsh('dumpxml', '--inactive', RUN);
    expect(vcpuElement(inactive)).toMatch(/>3<\/vcpu>$/);
    // The running VM keeps its maximum of 2 until it is shut down.
    const live = await harness.virsh('dumpxml', RUN);
    expect(vcpuElement(live)).toMatch(/>2<\/vcpu>$/);

    // The memory page says what it cannot do live rather than failing.
    await vm.openPage('Memory');
    await vm.page
      .getByText('Maximum memory can be changed only while the VM is shut off')
      .waitFor();
    await vm.openPage('Overview');
    expect((await vm.page.getByTestId('overview-state').innerText()).trim()).toBe('Running');
    expect(await vm.page.getByRole('button', { name: 'Rename' }).isDisabled()).toBe(true);
    await vm.openPage('Boot options');
    await vm.page.getByText('The VM boots through its firmware.').waitFor();

    // The other tabs: the graphs and the console of this VM, in the same window.
    await vm.tab('Performance').click();
    await vm.page.getByRole('figure', { name: 'CPU' }).waitFor();
    await vm.tab('Console').click();
    await vm.page.getByRole('toolbar', { name: 'Console toolbar' }).waitFor({ timeout: 30_000 });
    expect(decodeURIComponent(vm.page.url())).toMatch(/#\/vm\/[0-9a-f-]+\/[0-9a-f-]+\/console$/);
  });
});
