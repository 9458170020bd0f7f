import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VmHarness } from '../pages/vm-harness.page';
import { openConnected } from '../pages/vm-session.page';
import { VmWindowPage } from '../pages/vm-window.page';
import { launchBrowser } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

const VM = 'e2e-vmwin-pinning';

/**
 * The CPUs page's pinning editor in Chromium through the web host: a bad CPU list is named
 * and blocks Apply; a good one goes through the preview dialog and is read back with virsh.
 */
describe('VM window: CPU pinning', () => {
  const daemon = inject('libvirtd');
  const harness = new VmHarness(daemon);
  let host: RunningWebHost;
  let browser: Browser;

  beforeAll(async () => {
    await harness.defineGuest(VM, { disk: path.join(daemon.dir, 'e2e-vmwin-pinning.qcow2') });
    host = await startWebHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await harness.cleanUp();
  });

  it('pins vCPU 0 and the emulator through the preview dialog', async () => {
    const { page, vms } = await openConnected(browser, host, daemon);
    await vms.search(VM);
    await vms.waitForRow(VM);
    const vm = await VmWindowPage.openFromList(page.context(), vms, VM);

    await vm.openPage('CPUs');
    const pin = vm.page.getByTestId('vcpu-pin-0').locator('input');
    await pin.fill('1-0');
    await vm.page.getByText("vCPU 0 '1-0' has a bad range 1-0").waitFor();
    expect(await vm.applyButton('pinning-apply').isDisabled()).toBe(true);

    await pin.fill('1');
    await vm.page.getByTestId('emulator-pin').locator('input').fill('0-1');
    await vm.applyButton('pinning-apply').click();
    await vm.preview.getByTestId('edit-preview-diff').waitFor();
    const diff = await vm.preview.getByTestId('edit-preview-diff').innerText();
    expect(diff).toContain("+    <vcpupin vcpu='0' cpuset='1'/>");
    expect(diff).toContain("+    <emulatorpin cpuset='0-1'/>");
    await vm.confirmPreview();
    const after = await harness.virsh('dumpxml', '--inactive', VM);
    expect(after).toMatch(
      /<cputune>\s*<vcpupin vcpu='0' cpuset='1'\/>\s*<emulatorpin cpuset='0-1'\/>/,
    );
  });
});
