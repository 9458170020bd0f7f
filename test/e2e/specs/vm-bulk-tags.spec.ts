import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VIRTDECK_METADATA_NS } from '../../../shared/contract';
import { VmHarness } from '../pages/vm-harness.page';
import { openConnected } from '../pages/vm-session.page';
import { launchBrowser } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

const BULK = ['e2e-bulk-1', 'e2e-bulk-2', 'e2e-bulk-3'];
const TAGGED = 'e2e-bulk-tagged';

/**
 * Many VMs at once and tags, on the real web host and Chromium against the harness daemon:
 * bulk start and a confirmed bulk force-off of three real guests, tagging a VM (stored in
 * its own metadata, checked with virsh) and filtering the list by tag.
 */
describe('VM bulk actions and tags (web host, Chromium, harness libvirtd)', () => {
  const daemon = inject('libvirtd');
  const harness = new VmHarness(daemon);
  let host: RunningWebHost;
  let browser: Browser;

  beforeAll(async () => {
    for (const name of [...BULK, TAGGED]) await harness.defineGuest(name);
    host = await startWebHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await harness.cleanUp();
  });

  it('starts three VMs at once, then forces them off after one question', async () => {
    const { page, vms } = await openConnected(browser, host, daemon);
    await vms.search('e2e-bulk-');
    await vms.waitForRow(TAGGED);
    await vms.selectMany(BULK);
    expect(await vms.list.locator('[aria-selected="true"]').count()).toBe(3);

    await vms.toolbarButton('Start').click();
    for (const name of BULK) await vms.waitForState(name, 'Running');
    for (const name of BULK) expect(await harness.domstate(name)).toBe('running');
    expect(await vms.stateText(TAGGED)).toBe('Shut off');

    await vms.toolbarButton('Force off').click();
    const dialog = vms.dialog('Force 3 virtual machines off?');
    await dialog.waitFor();
    for (const name of BULK) expect(await dialog.innerText()).toContain(name);
    await dialog.getByRole('button', { name: 'Force off', exact: true }).click();
    for (const name of BULK) await vms.waitForState(name, 'Shut off');
    for (const name of BULK) expect(await harness.domstate(name)).toBe('shut off');
    expect(await page.locator('.notification-snackbar[data-severity="error"]').count()).toBe(0);
  });

  it("tags a VM (in the domain's own metadata) and filters the list by the tag", async () => {
    const { page, vms } = await openConnected(browser, host, daemon);
    await vms.search('e2e-bulk-');
    await vms.waitForRow(TAGGED);
    await vms.runFromContextMenu(TAGGED, 'Edit tags…');
    const dialog = vms.dialog(`Tags of ${TAGGED}`);
    await dialog.waitFor();
    const input = dialog.getByRole('combobox', { name: 'Tags' });
    await input.fill('e2e-database');
    await page.keyboard.press('Enter');
    await input.fill('critical');
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    const tags = vms.cell(TAGGED, 'tags');
    await tags.getByRole('button', { name: 'e2e-database' }).waitFor();
    // Stored with the VM, so every client (and virsh) sees it.
    const metadata = await harness.virsh('metadata', TAGGED, '--uri', VIRTDECK_METADATA_NS);
    expect(metadata).toContain('e2e-database');
    expect(metadata).toContain('critical');

    // Filter through the menu: only the tagged VM stays.
    await vms.search('');
    const menu = await vms.openFilterMenu();
    await menu.getByRole('menuitemcheckbox', { name: 'e2e-database' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => vms.names()).toEqual([TAGGED]);
    const chip = page.getByTestId('tag-filter-chip');
    expect(await chip.innerText()).toContain('e2e-database');

    // Removing the filter brings the others back; a click on a row's tag filters again.
    await chip.getByRole('button', { name: 'Remove filter e2e-database' }).click();
    await vms.search('e2e-bulk-');
    await expect.poll(async () => (await vms.names()).length).toBe(4);
    await tags.getByRole('button', { name: 'critical' }).click();
    await expect.poll(() => vms.names()).toEqual([TAGGED]);
  });
});
