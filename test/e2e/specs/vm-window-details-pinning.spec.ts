import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { vmWindowSuite } from '../support/vm-window-suite';

const VM = 'e2e-vmwin-pinning';

/**
 * The CPUs page's pinning editor in Chromium through the web host: a bad CPU list is named
 * and blocks Apply; a good one goes through the preview dialog and is read back with virsh.
 */
describe('VM window: CPU pinning', () => {
  const suite = vmWindowSuite(async (harness, daemon) => {
    await harness.defineGuest(VM, { disk: path.join(daemon.dir, 'e2e-vmwin-pinning.qcow2') });
  });
  const { harness } = suite;

  it('pins vCPU 0 and the emulator through the preview dialog', async () => {
    const vm = await suite.openVm(VM);

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
