import { access, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VmHarness } from '../pages/vm-harness.page';
import { HARNESS_ALIAS, openConnected } from '../pages/vm-session.page';
import { launchBrowser } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

const VM = 'e2e-life';
const POOL = 'e2e-life-pool';
const VOLUME = 'e2e-life.qcow2';

/**
 * One VM's life as a user runs it from the list, on real QEMU (TCG) guests of the harness
 * daemon: start, watch it work, pause, save and restore (also from a broken image), force
 * off, a refused start, graphs and their export, and delete with its disk. virsh on the
 * side checks that what the list shows is what libvirt did.
 */
describe('VM lifecycle (web host, Chromium, harness libvirtd)', () => {
  const daemon = inject('libvirtd');
  const harness = new VmHarness(daemon);
  let host: RunningWebHost;
  let browser: Browser;
  let diskPath: string;

  beforeAll(async () => {
    await harness.definePool(POOL);
    diskPath = await harness.createVolume(POOL, VOLUME);
    await harness.defineGuest(VM, { disk: diskPath });
    await harness.defineGuest('e2e-life-broken', { disk: path.join(daemon.dir, 'missing.qcow2') });
    host = await startWebHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await harness.cleanUp();
  });

  async function open() {
    const session = await openConnected(browser, host, daemon);
    await session.vms.search('e2e-life');
    await session.vms.waitForRow(VM);
    return session;
  }

  it('starts a VM from the toolbar and shows it running with a CPU sparkline', async () => {
    const { vms } = await open();
    await vms.select(VM);
    await vms.toolbarButton('Start').click();
    await vms.waitForState(VM, 'Running');
    expect(await harness.domstate(VM)).toBe('running');
    // Two ticks after the start a rate exists; the sparkline then draws real points.
    await vms.cell(VM, 'cpu').filter({ hasText: /\d %$/ }).waitFor({ timeout: 15_000 });
    await expect.poll(() => vms.cpuSparkPoints(VM), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(await vms.cpuText(VM)).not.toContain('NaN');
    // No balloon driver in a firmware guest: memory use is unknown, shown as a dash.
    expect((await vms.cell(VM, 'memUsage').innerText()).trim()).toBe('—');
  });

  it('pauses and resumes from the context menu', async () => {
    const { vms } = await open();
    await vms.runFromContextMenu(VM, 'Pause');
    await vms.waitForState(VM, 'Paused');
    expect(await harness.domstate(VM)).toBe('paused');
    await vms.runFromContextMenu(VM, 'Resume');
    await vms.waitForState(VM, 'Running');
    expect(await harness.domstate(VM)).toBe('running');
  });

  it('opens the graphs, switches the range and exports the CPU series as CSV', async () => {
    const { page, vms } = await open();
    await vms.runFromContextMenu(VM, 'Show graphs');
    const cpu = vms.details.getByRole('figure', { name: 'CPU' });
    await expect
      .poll(async () => Number(await cpu.getAttribute('data-points')), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);
    await vms.details.getByRole('button', { name: 'Last hour' }).click();
    await expect
      .poll(async () => Number(await cpu.getAttribute('data-points')))
      .toBeGreaterThanOrEqual(2);

    await cpu.getByRole('button', { name: 'Export CPU' }).click();
    const downloading = page.waitForEvent('download');
    await page
      .getByRole('menu', { name: 'Export CPU' })
      .getByRole('menuitem', { name: 'Export as CSV' })
      .click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^e2e-life_CPU_1h_.*\.csv$/);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    const [header, ...lines] = csv.trim().split('\r\n');
    expect(header).toBe('time,of host [%],of its vCPUs [%]');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,(\d+(\.\d+)?)?,(\d+(\.\d+)?)?$/);
    }
    expect(csv).not.toContain('NaN');

    // PNG: the chart as drawn, on the theme's background.
    await cpu.getByRole('button', { name: 'Export CPU' }).click();
    const downloadingPng = page.waitForEvent('download');
    await page
      .getByRole('menu', { name: 'Export CPU' })
      .getByRole('menuitem', { name: 'Export as PNG' })
      .click();
    const png = await readFile((await (await downloadingPng).path()) ?? '');
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.length).toBeGreaterThan(2_000);
    await vms.details.getByRole('button', { name: 'Close the graphs' }).click();
  });

  it('saves a VM and restores it with Start', async () => {
    const { vms } = await open();
    await vms.select(VM);
    await vms.runFromMoreMenu('Save');
    await vms.waitForState(VM, 'Saved', 60_000);
    expect(await harness.domstate(VM)).toBe('shut off');
    expect(await harness.virsh('dominfo', VM)).toMatch(/Managed save:\s+yes/);

    await vms.toolbarButton('Start').click();
    await vms.waitForState(VM, 'Running', 60_000);
    expect(await harness.virsh('dominfo', VM)).toMatch(/Managed save:\s+no/);
  });

  it('offers to discard a saved state that cannot be restored, then boots afresh', async () => {
    const { vms } = await open();
    await vms.runFromContextMenu(VM, 'Save');
    await vms.waitForState(VM, 'Saved', 60_000);
    // Cut the image short, as a full disk during the save would. libvirt's header stays
    // readable (an image without one libvirt discards by itself), so restoring fails.
    await truncate(harness.managedSavePath(VM), 20_000);

    await vms.runFromContextMenu(VM, 'Restore');
    const dialog = vms.dialog(`${VM} could not be restored`);
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.innerText()).toContain(`on ${HARNESS_ALIAS} failed`);
    await dialog.getByRole('button', { name: 'Discard and start' }).click();
    await vms.waitForState(VM, 'Running', 60_000);
    expect(await harness.virsh('dominfo', VM)).toMatch(/Managed save:\s+no/);
  });

  it("shows libvirt's own error, naming VM and host, when a start is refused", async () => {
    const { page, vms } = await open();
    await vms.select('e2e-life-broken');
    await vms.toolbarButton('Start').click();
    const alert = page.locator('.notification-snackbar[data-severity="error"]');
    await alert.waitFor({ timeout: 20_000 });
    const text = await alert.innerText();
    expect(text).toContain(`Could not start e2e-life-broken on ${HARNESS_ALIAS}`);
    expect(text).toContain('missing.qcow2');
    // The list stays as libvirt has it, with the error kept on the row.
    await vms.waitForState('e2e-life-broken', 'Shut off');
    expect(
      await vms.cell('e2e-life-broken', 'state').getByRole('img').getAttribute('aria-label'),
    ).toContain('missing.qcow2');
    await page.getByRole('button', { name: 'Dismiss' }).first().click();
  });

  it('forces a VM off after asking', async () => {
    const { vms } = await open();
    await vms.select(VM);
    await vms.toolbarButton('Force off').click();
    await vms.confirm(`Force ${VM} off?`, 'Force off');
    await vms.waitForState(VM, 'Shut off');
    expect(await harness.domstate(VM)).toBe('shut off');
  });

  it('deletes a running VM with its disk once "force off first" is chosen', async () => {
    const { vms } = await open();
    await vms.select(VM);
    await vms.toolbarButton('Start').click();
    await vms.waitForState(VM, 'Running');

    await vms.runFromContextMenu(VM, 'Delete…');
    const dialog = vms.dialog(`Delete ${VM}?`);
    await dialog.waitFor();
    const disk = dialog.locator('[data-target="vda"]');
    await disk.waitFor();
    expect(await disk.innerText()).toContain(`${POOL} / ${VOLUME}`);
    expect(await disk.getByRole('checkbox').isChecked()).toBe(true);
    const deleteButton = dialog.getByRole('button', { name: 'Delete', exact: true });
    expect(await dialog.innerText()).toContain(`${VM} is running`);
    expect(await deleteButton.isDisabled()).toBe(true);

    await dialog.getByLabel('Force it off first').check();
    await deleteButton.click();
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
    await vms.row(VM).waitFor({ state: 'detached' });
    harness.forget(VM);
    expect(await harness.exists(VM)).toBe(false);
    expect(await harness.volumes(POOL)).not.toContain(VOLUME);
    // Gone from the disk too, not only from the pool's list.
    await expect(access(diskPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
