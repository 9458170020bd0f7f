import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCommand } from '../../harness/run-command';
import { VmClonePage } from '../pages/vm-clone.page';
import { VmHarness } from '../pages/vm-harness.page';
import { openConnected } from '../pages/vm-session.page';
import { launchBrowser } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

const VM = 'e2e-clone-vm';
const CLONE = `${VM}-clone`;
const POOL = 'e2e-clone-pool';

/**
 * Cloning a VM from the list as a new user would, in Chromium through the web host: the
 * dialog suggests a free name and a copy of the disk, and the clone shows up in the list
 * with a disk of its own holding the source's bytes — checked with virsh and qemu-img.
 */
describe('VM list: Clone (web host, Chromium, harness libvirtd)', () => {
  const daemon = inject('libvirtd');
  const harness = new VmHarness(daemon);
  let host: RunningWebHost;
  let browser: Browser;
  let disk: string;

  beforeAll(async () => {
    await harness.definePool(POOL);
    disk = await harness.createVolume(POOL, `${VM}-vda.qcow2`);
    const write = await runCommand('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x42 0 1M', disk]);
    if (write.code !== 0) throw new Error(`qemu-io failed: ${write.stderr}`);
    await harness.virsh('pool-refresh', POOL);
    await harness.defineGuest(VM, { disk });
    host = await startWebHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await harness.virsh('undefine', CLONE).catch(() => undefined);
    await harness.cleanUp();
  });

  it('clones a shut-off VM from the context menu and lists the clone', async () => {
    const { vms } = await openConnected(browser, host, daemon);
    await vms.search('e2e-clone');
    await vms.waitForRow(VM);

    const clone = new VmClonePage(vms, VM);
    await clone.open();
    expect(await clone.suggestedName()).toBe(CLONE);
    const row = clone.diskRow('vda');
    await row.getByText(disk).waitFor();
    await row.getByText('Copy', { exact: true }).waitFor();
    await clone.poolSpace(POOL).waitFor();
    expect(await clone.poolSpace(POOL).innerText()).toMatch(
      new RegExp(`^Pool ${POOL}: the copies need .+, .+ free$`),
    );

    await clone.start();
    await vms.waitForRow(CLONE, 30_000);
    await vms.waitForState(CLONE, 'Shut off');
    await vms.waitForState(VM, 'Shut off');

    const copy = `${disk.slice(0, disk.lastIndexOf('/'))}/${CLONE}-vda.qcow2`;
    const xml = await harness.virsh('dumpxml', '--inactive', CLONE);
    expect(xml).toContain(`<source file='${copy}'/>`);
    expect(xml).not.toContain(`<source file='${disk}'/>`);
    const compare = await runCommand('qemu-img', ['compare', disk, copy]);
    expect(compare.stdout).toContain('Images are identical');
    expect(await harness.volumes(POOL)).toEqual(
      expect.arrayContaining([`${VM}-vda.qcow2`, `${CLONE}-vda.qcow2`]),
    );
  });
});
