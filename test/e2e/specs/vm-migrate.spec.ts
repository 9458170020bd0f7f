import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../../harness/private-libvirtd';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import { ConnectionsPage } from '../pages/connections.page';
import { MainWindowPage } from '../pages/main-window.page';
import { VmListPage } from '../pages/vm-list.page';
import { VmMigratePage } from '../pages/vm-migrate.page';
import { launchBrowser, openWatchedPage } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

const VM = 'e2e-mig-vm';
const SRC_POOL = 'e2e-mig-src';
const DST_POOL = 'e2e-mig-dst';

async function virsh(d: PrivateLibvirtd, ...args: string[]): Promise<string> {
  const r = await d.virsh(args);
  if (r.code !== 0) throw new Error(`virsh ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

async function pool(d: PrivateLibvirtd, name: string): Promise<string> {
  const target = path.join(d.dir, name);
  await virsh(d, 'pool-define-as', name, 'dir', '--target', target);
  // Built by the daemon, so its user owns the folder.
  await virsh(d, 'pool-build', name);
  await virsh(d, 'pool-start', name);
  return target;
}

/**
 * Two hosts saved as connections (two private daemons with their own host UUIDs), a running
 * VM with a qcow2 disk on the first: Migrate… from the list moves it, disk copied, to the
 * second, and the list shows it under its new host.
 */
describe('Migrate a VM to another saved host (web host, Chromium, two daemons)', () => {
  let a: PrivateLibvirtd;
  let b: PrivateLibvirtd;
  let host: RunningWebHost;
  let browser: Browser;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startPrivateLibvirtd({ hostUuid: randomUUID(), idleTimeoutSec: 900 }),
      startPrivateLibvirtd({ hostUuid: randomUUID(), idleTimeoutSec: 900 }),
    ]);
    const srcDir = await pool(a, SRC_POOL);
    await pool(b, DST_POOL);
    await virsh(a, 'vol-create-as', SRC_POOL, `${VM}.qcow2`, '16M', '--format', 'qcow2');
    const xml = firmwareVncGuestXml({ name: VM, uuid: randomUUID() }).replace(
      '  <devices>\n',
      `  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${srcDir}/${VM}.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
`,
    );
    const file = path.join(a.dir, `${VM}.xml`);
    await writeFile(file, xml, { mode: 0o644 });
    await virsh(a, 'define', file);
    await virsh(a, 'start', VM);
    host = await startWebHost();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('migrates a running VM with its disk to the second host and the list shows it there', async () => {
    const { page } = await openWatchedPage(browser);
    await MainWindowPage.open(page, host.url);
    const connections = new ConnectionsPage(page);
    await connections.list.or(page.getByText('No connections yet')).first().waitFor();
    await connections.addConnection({ alias: 'hostA', customUri: a.uri('qemu') });
    await connections.addConnection({ alias: 'hostB', customUri: b.uri('qemu') });
    await connections.waitForStatus('hostA', 'Connected');
    await connections.waitForStatus('hostB', 'Connected');

    const vms = new VmListPage(page);
    await vms.search(VM);
    await vms.waitForRow(VM);
    expect((await vms.cell(VM, 'host').innerText()).trim()).toBe('hostA');
    await vms.waitForState(VM, 'Running');

    const migrate = new VmMigratePage(page, vms);
    const dialog = await migrate.open(VM);
    // hostB is the only other connected host: chosen already. Its disks are not there, so
    // the dialog offers the copy and says where it would go before anything starts.
    await migrate.blockers(dialog).first().waitFor();
    expect(await migrate.blockers(dialog).getAttribute('data-code')).toBe('no-destination-pool');
    expect(await migrate.startButton(dialog).isDisabled()).toBe(true);
    await migrate.choose(dialog, 'Destination pool for copied disks', new RegExp(`^${DST_POOL} `));
    await migrate.setUndefineSource(dialog, true);
    await migrate.waitReady(dialog);
    expect(await migrate.blockers(dialog).count()).toBe(0);

    const t0 = Date.now();
    await migrate.startButton(dialog).click();
    await dialog.waitFor({ state: 'hidden', timeout: 180_000 });
    const seconds = (Date.now() - t0) / 1000;
    console.info(`e2e: migration through the UI took ${seconds.toFixed(1)} s`);

    await expect
      .poll(async () => (await vms.cell(VM, 'host').innerText()).trim(), { timeout: 20_000 })
      .toBe('hostB');
    await vms.waitForState(VM, 'Running');
    expect(await vms.row(VM).count()).toBe(1);
    expect((await virsh(b, 'domstate', '--reason', VM)).trim()).toBe('running (migrated)');
    expect((await a.virsh(['domstate', VM])).code).not.toBe(0);
    expect(await virsh(b, 'domblklist', VM)).toContain(path.join(b.dir, DST_POOL, `${VM}.qcow2`));
  }, 300_000);
});
