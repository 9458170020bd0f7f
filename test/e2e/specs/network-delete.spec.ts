import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runVirsh } from '../../harness/run-virsh';
import { ConnectionsPage } from '../pages/connections.page';
import { MainWindowPage } from '../pages/main-window.page';
import { StorageNetworksPage } from '../pages/storage-networks.page';
import { launchBrowser, openWatchedPage } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

/**
 * Deleting a network asks first, naming it; a running one must be stopped before (the
 * Delete button stays off). On the harness's test driver: real networks need root.
 */
describe('network delete confirmation (web host, Chromium, harness libvirtd)', () => {
  const daemon = inject('libvirtd');
  const netName = `e2edel${randomBytes(3).toString('hex')}`;
  let dir: string;
  let host: RunningWebHost;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-e2e-netdel-'));
    host = await startWebHost({ env: { LIBVIRT_DEFAULT_URI: daemon.qemuUri } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await runVirsh(daemon.testUri, ['net-destroy', netName]);
    await runVirsh(daemon.testUri, ['net-undefine', netName]);
    await rm(dir, { recursive: true, force: true });
  });

  it('names the network, refuses while it runs, and deletes it once stopped', async () => {
    const { page } = await openWatchedPage(browser);
    await MainWindowPage.open(page, host.url);
    const connections = new ConnectionsPage(page);
    await connections.waitForStatus('local', 'Connected');
    await connections.addConnection({ alias: 'test-driver', customUri: daemon.testUri });
    await connections.waitForStatus('test-driver', 'Connected');
    await connections.runFromMenuButton('test-driver', 'Details');
    const ui = new StorageNetworksPage(page, connections.detailsDialog('test-driver'));
    await ui.openTab('Networks');

    // The test driver's state lives while a connection holds it: the app's does.
    const xml = path.join(dir, `${netName}.xml`);
    await writeFile(
      xml,
      `<network><name>${netName}</name><ip address='192.168.193.1' prefix='24'/></network>`,
    );
    const defined = await runVirsh(daemon.testUri, [`net-define ${xml}; net-start ${netName}`]);
    expect(defined.code, defined.stderr).toBe(0);
    const row = ui.network(netName);
    await row.getByText('Active', { exact: true }).waitFor({ timeout: 10_000 });

    await row.getByRole('button', { name: `Delete network ${netName}` }).click();
    const dialog = page.getByRole('alertdialog', { name: `Delete network ${netName}?` });
    await dialog.getByText('The network is running: stop it first').waitFor();
    expect(await dialog.getByRole('button', { name: 'Delete', exact: true }).isDisabled()).toBe(
      true,
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await runVirsh(daemon.testUri, ['net-info', netName])).code).toBe(0);

    expect((await runVirsh(daemon.testUri, ['net-destroy', netName])).code).toBe(0);
    await row.getByText('Inactive', { exact: true }).waitFor({ timeout: 10_000 });
    await row.getByRole('button', { name: `Delete network ${netName}` }).click();
    expect(await dialog.getByText('stop it first').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    const info = await runVirsh(daemon.testUri, ['net-info', netName]);
    expect(info.code).not.toBe(0);
    expect(info.stderr).toMatch(/not found/i);
  });
});
