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

const MiB = 1024 * 1024;

/**
 * A new user on the web host manages a host's storage and networks from its details: a
 * directory pool on the harness's QEMU driver (real folders, real libvirt streams for the
 * upload of the browser's file) and a NAT network on its test driver (real networks need
 * root and bridges). Changes made with virsh meanwhile show without a reload.
 */
describe('storage pools and networks (web host, Chromium, harness libvirtd)', () => {
  const daemon = inject('libvirtd');
  const suffix = randomBytes(3).toString('hex');
  const poolName = `e2e-pool-${suffix}`;
  const otherPool = `e2e-other-${suffix}`;
  const netName = `e2enet${suffix}`;
  const otherNet = `e2eother${suffix}`;
  let localDir: string;
  let host: RunningWebHost;
  let browser: Browser;

  beforeAll(async () => {
    localDir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-e2e-storage-'));
    host = await startWebHost({ env: { LIBVIRT_DEFAULT_URI: daemon.qemuUri } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    for (const p of [poolName, otherPool]) {
      for (const verb of ['pool-destroy', 'pool-delete', 'pool-undefine']) {
        await runVirsh(daemon.qemuUri, [verb, p]);
      }
    }
    for (const n of [netName, otherNet]) {
      await runVirsh(daemon.testUri, ['net-destroy', n]);
      await runVirsh(daemon.testUri, ['net-undefine', n]);
    }
    await rm(localDir, { recursive: true, force: true });
  });

  it('creates a directory pool, uploads an ISO with a progress bar, and sees a pool made elsewhere', async () => {
    const { page } = await openWatchedPage(browser);
    await MainWindowPage.open(page, host.url);
    const connections = new ConnectionsPage(page);
    await connections.waitForStatus('local', 'Connected');
    await connections.runFromMenuButton('local', 'Details');
    const ui = new StorageNetworksPage(page, connections.detailsDialog('local'));

    const form = await ui.createDirectoryPool(poolName, path.join(daemon.dir, poolName));
    await form.waitFor({ state: 'hidden' });
    await ui.pool(poolName).getByText('Running', { exact: true }).waitFor();
    expect(await ui.pool(poolName).innerText()).toContain('Directory');

    const iso = path.join(localDir, 'installer.iso');
    const data = randomBytes(64 * MiB);
    await writeFile(iso, data);
    const transfer = await ui.uploadIntoPool(poolName, iso);
    // The bar shows from the first byte on, and the row ends as done.
    await transfer.getByRole('progressbar').waitFor();
    await page
      .locator('[data-testid="transfer"][data-outcome="done"]')
      .waitFor({ timeout: 60_000 });
    await ui.volume('installer.iso').waitFor();
    expect(await ui.volume('installer.iso').innerText()).toContain('64 MiB');
    const info = await runVirsh(daemon.qemuUri, ['vol-info', '--pool', poolName, 'installer.iso']);
    expect(info.stdout).toMatch(/Capacity:\s+64\.00 MiB/);

    // Someone else defines a pool: it shows without a reload.
    const r = await runVirsh(daemon.qemuUri, [
      'pool-define-as',
      otherPool,
      'dir',
      '--target',
      path.join(daemon.dir, otherPool),
    ]);
    expect(r.code, r.stderr).toBe(0);
    await ui.pool(otherPool).getByText('Inactive', { exact: true }).waitFor({ timeout: 5_000 });
  });

  it('creates a NAT network with a DHCP range and sees a network started elsewhere', async () => {
    const { page } = await openWatchedPage(browser);
    await MainWindowPage.open(page, host.url);
    const connections = new ConnectionsPage(page);
    await connections.waitForStatus('local', 'Connected');
    await connections.addConnection({ alias: 'test-driver', customUri: daemon.testUri });
    await connections.waitForStatus('test-driver', 'Connected');
    await connections.runFromMenuButton('test-driver', 'Details');
    const ui = new StorageNetworksPage(page, connections.detailsDialog('test-driver'));

    const form = await ui.createNatNetwork({
      name: netName,
      address: '192.168.191.1',
      dhcpStart: '192.168.191.100',
      dhcpEnd: '192.168.191.199',
    });
    await form.waitFor({ state: 'hidden' });
    const row = ui.network(netName);
    await row.getByText('Active', { exact: true }).waitFor();
    const text = await row.innerText();
    expect(text).toContain('NAT');
    expect(text).toContain('192.168.191.1/24 (DHCP 192.168.191.100–192.168.191.199)');

    const xml = path.join(localDir, `${otherNet}.xml`);
    await writeFile(
      xml,
      `<network><name>${otherNet}</name><ip address='192.168.192.1' prefix='24'/></network>`,
    );
    expect((await runVirsh(daemon.testUri, ['net-define', xml])).code).toBe(0);
    await ui.network(otherNet).getByText('Inactive', { exact: true }).waitFor({ timeout: 5_000 });
    expect((await runVirsh(daemon.testUri, ['net-start', otherNet])).code).toBe(0);
    await ui.network(otherNet).getByText('Active', { exact: true }).waitFor({ timeout: 5_000 });
    expect(await ui.network(otherNet).innerText()).toContain('Isolated');
  });
});
