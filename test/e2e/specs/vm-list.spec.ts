import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VmHarness } from '../pages/vm-harness.page';
import { HARNESS_ALIAS, openConnected } from '../pages/vm-session.page';
import { launchBrowser } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

/**
 * The VM list as a new user meets it, on the real web host and Chromium against the
 * harness's private libvirtd: connect, find VMs by search, see changes made with virsh on
 * the side arrive without a reload, use the keyboard, change preferences live.
 */
describe('VM list (web host, Chromium, harness libvirtd)', () => {
  const daemon = inject('libvirtd');
  const harness = new VmHarness(daemon);
  let host: RunningWebHost;
  let browser: Browser;
  let alphaUuid = '';
  let betaUuid = '';

  beforeAll(async () => {
    alphaUuid = await harness.defineGuest('e2e-list-alpha', { title: 'Billing frontend' });
    betaUuid = await harness.defineGuest('e2e-list-beta');
    await harness.defineGuest('e2e-list-gamma');
    host = await startWebHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await harness.cleanUp();
  });

  it('connects a host and finds its VMs by name, title and UUID with Ctrl+F', async () => {
    const { vms } = await openConnected(browser, host, daemon);
    await vms.waitForRow('e2e-list-alpha');
    await vms.waitForRow('e2e-list-gamma');
    expect(await vms.stateText('e2e-list-beta')).toBe('Shut off');
    expect((await vms.cell('e2e-list-alpha', 'title').innerText()).trim()).toBe('Billing frontend');
    expect((await vms.cell('e2e-list-alpha', 'host').innerText()).trim()).toBe(HARNESS_ALIAS);

    await vms.search('e2e-list-beta');
    expect(await vms.names()).toEqual(['e2e-list-beta']);
    await vms.search('billing');
    expect(await vms.names()).toEqual(['e2e-list-alpha']);
    await vms.search(alphaUuid.slice(-12).toUpperCase());
    expect(await vms.names()).toEqual(['e2e-list-alpha']);
    await vms.search('no-such-vm-anywhere');
    expect(await vms.names()).toEqual([]);
    expect(await vms.list.getByText('No virtual machine matches.').isVisible()).toBe(true);
    // The status bar counts the host's VMs (other specs' guests may share the daemon).
    expect(await vms.statusVms.innerText()).toMatch(new RegExp(`${HARNESS_ALIAS}\\s+0/\\d+`));
  });

  it('shows a VM defined, started, stopped and removed with virsh on the side, without reload', async () => {
    const { vms } = await openConnected(browser, host, daemon);
    await vms.search('e2e-list-side');
    await harness.defineGuest('e2e-list-side');
    // Counted from when virsh is done (libvirt has the VM), not from virsh's own start-up,
    // which a loaded machine stretches to seconds.
    const defined = performance.now();
    await vms.waitForRow('e2e-list-side', 5_000);
    const appearedAfterMs = performance.now() - defined;
    // The define event travels daemon → main → web host → page: well within a second.
    expect(appearedAfterMs).toBeLessThan(1_000);

    await harness.virsh('start', 'e2e-list-side');
    await vms.waitForState('e2e-list-side', 'Running', 5_000);
    await harness.virsh('suspend', 'e2e-list-side');
    await vms.waitForState('e2e-list-side', 'Paused', 5_000);
    await harness.virsh('destroy', 'e2e-list-side');
    await vms.waitForState('e2e-list-side', 'Shut off', 5_000);
    await harness.virsh('undefine', 'e2e-list-side');
    harness.forget('e2e-list-side');
    await vms.row('e2e-list-side').waitFor({ state: 'detached', timeout: 5_000 });
  });

  it('moves with the arrow keys, opens the VM with Enter, shows its graphs, asks before deleting', async () => {
    const { page, vms } = await openConnected(browser, host, daemon);
    await vms.search('e2e-list-');
    await vms.waitForRow('e2e-list-gamma');
    await vms.select('e2e-list-alpha');
    await page.keyboard.press('ArrowDown');
    expect(await vms.row('e2e-list-beta').getAttribute('aria-selected')).toBe('true');
    expect(await vms.row('e2e-list-alpha').getAttribute('aria-selected')).toBe('false');
    await page.keyboard.press('Shift+ArrowDown');
    expect(await vms.row('e2e-list-gamma').getAttribute('aria-selected')).toBe('true');
    expect(await vms.row('e2e-list-beta').getAttribute('aria-selected')).toBe('true');

    await page.keyboard.press('ArrowUp');
    // Enter opens the VM's own window (a popup in the web host), as virt-manager does.
    const popup = page.waitForEvent('popup');
    await page.keyboard.press('Enter');
    const vmWindow = await popup;
    expect(decodeURIComponent(vmWindow.url())).toContain(betaUuid);
    await vmWindow.close();

    await vms.runFromContextMenu('e2e-list-beta', 'Show graphs');
    await vms.details.waitFor();
    expect(await vms.details.innerText()).toContain('e2e-list-beta');
    expect(await vms.details.getByRole('figure', { name: 'CPU' }).isVisible()).toBe(true);

    await vms.list.focus();
    await page.keyboard.press('Delete');
    const dialog = vms.dialog('Delete e2e-list-beta?');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('This VM has no disks.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await harness.exists('e2e-list-beta')).toBe(true);
  });

  it('groups by host, collapses a host, and remembers the chosen columns after a reload', async () => {
    const { page, vms } = await openConnected(browser, host, daemon);
    await vms.search('e2e-list-');
    const group = vms.list.locator(`[data-testid="vm-group-row"][data-host="${HARNESS_ALIAS}"]`);
    await group.waitFor();
    await group.getByRole('button', { name: `Hide the VMs of ${HARNESS_ALIAS}` }).click();
    await vms.row('e2e-list-alpha').waitFor({ state: 'detached' });
    await group.getByRole('button', { name: `Show the VMs of ${HARNESS_ALIAS}` }).click();
    await vms.waitForRow('e2e-list-alpha');

    await page.getByRole('button', { name: 'Columns', exact: true }).click();
    const menu = page.getByRole('menu', { name: 'Columns' });
    await menu.getByRole('menuitemcheckbox', { name: 'Disk I/O' }).click();
    await menu.getByRole('menuitemcheckbox', { name: 'Title' }).click();
    await page.keyboard.press('Escape');
    expect(await vms.cell('e2e-list-alpha', 'disk').innerText()).toBe('—');
    expect(await vms.cell('e2e-list-alpha', 'title').count()).toBe(0);

    await page.reload();
    await vms.waitForRow('e2e-list-alpha');
    expect(await vms.cell('e2e-list-alpha', 'disk').count()).toBe(1);
    expect(await vms.cell('e2e-list-alpha', 'title').count()).toBe(0);
  });

  it('applies a new sampling interval from the Preferences dialog at once', async () => {
    const { page, vms } = await openConnected(browser, host, daemon);
    const interval = vms.statusVms.getByTestId('status-interval');
    await interval.filter({ hasText: 'every 2 s' }).waitFor();
    await page.getByRole('button', { name: 'Preferences' }).click();
    const dialog = vms.dialog('Preferences');
    await dialog.getByRole('tab', { name: 'Statistics' }).click();
    // As a keyboard user opens a select: focus it, then Enter.
    await dialog.getByRole('combobox', { name: 'Sampling interval' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: 'every 1 s' }).click();
    // The sampler's own ticks now say 1 s: the main process applied it, not only the page.
    await interval.filter({ hasText: 'every 1 s' }).waitFor({ timeout: 5_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});
