import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runVirsh } from '../../harness/run-virsh';
import { VmHarness } from '../pages/vm-harness.page';
import { openConnected } from '../pages/vm-session.page';
import { VmSnapshotsPage } from '../pages/vm-snapshots.page';
import { VmWindowPage } from '../pages/vm-window.page';
import { launchBrowser } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

const VM = 'e2e-snap-vm';
const RUN = 'e2e-snap-run';
const RAW = 'e2e-snap-raw';
const POOL = 'e2e-snap-pool';

/** `<title>` of the persistent definition, or null. */
function titleOf(xml: string): string | null {
  return /<title>([^<]*)<\/title>/.exec(xml)?.[1] ?? null;
}

/**
 * The Snapshots tab of a VM window as a new user meets it in Chromium through the web host:
 * on a shut-off VM with a qcow2 disk, two snapshots taken from the tab form a tree, and a
 * revert to the first brings back its definition — each step checked with virsh.
 */
describe('VM window: Snapshots (web host, Chromium, harness libvirtd)', () => {
  const daemon = inject('libvirtd');
  const harness = new VmHarness(daemon);
  let host: RunningWebHost;
  let browser: Browser;
  // Outside every storage pool: libvirt cannot tell a saved file's size there.
  const saveDir = path.join(daemon.dir, 'e2e-snap-saves');

  beforeAll(async () => {
    await harness.definePool(POOL);
    const disk = await harness.createVolume(POOL, `${VM}-vda.qcow2`);
    await harness.defineGuest(VM, { disk });
    await harness.defineGuest(RUN, { disk: await harness.createVolume(POOL, `${RUN}-vda.qcow2`) });
    await harness.virsh('start', RUN);
    await mkdir(saveDir, { recursive: true });
    // The daemon (and its QEMU) runs as its own user and writes the image here.
    await chmod(saveDir, 0o777);
    host = await startWebHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    // libvirt keeps a VM with snapshots defined unless their metadata goes with it.
    for (const name of [VM, RUN, RAW]) {
      await runVirsh(daemon.qemuUri, ['undefine', name, '--snapshots-metadata']);
    }
    await harness.cleanUp();
    await rm(saveDir, { recursive: true, force: true });
  });

  it('takes two snapshots, shows them as a tree and reverts to the first', async () => {
    const { page, vms } = await openConnected(browser, host, daemon);
    await vms.search(VM);
    await vms.waitForRow(VM);
    const vm = await VmWindowPage.openFromList(page.context(), vms, VM);
    const snaps = new VmSnapshotsPage(vm);
    await snaps.open();

    // Said before anyone tries: a shut-off VM has no memory to save.
    await snaps.notes
      .getByText('Memory can be saved only while the VM is running or paused.')
      .waitFor();
    expect(await snaps.button('revert').isDisabled()).toBe(true);

    const first = await snaps.takeSnapshot('fresh disk');
    expect(first).toBe('snapshot1');
    expect((await harness.virsh('snapshot-current', VM, '--name')).trim()).toBe(first);

    // A change between the two, which reverting to the first must undo.
    await harness.virsh('desc', VM, '--config', '--title', 'after the first snapshot');
    expect(titleOf(await harness.virsh('dumpxml', '--inactive', VM))).toBe(
      'after the first snapshot',
    );
    const second = await snaps.takeSnapshot();
    expect(second).toBe('snapshot2');

    expect(await snaps.rows()).toEqual([
      { name: first, depth: 0, current: false },
      { name: second, depth: 1, current: true },
    ]);
    const virshTree = await harness.virsh('snapshot-list', VM, '--tree');
    expect(virshTree).toMatch(new RegExp(`^${first}\\n\\s+\\|\\n\\s+\\+- ${second}`, 'm'));

    await snaps.row(first).click();
    expect((await snaps.detail('description').innerText()).trim()).toBe('fresh disk');
    expect((await snaps.detail('state').innerText()).trim()).toBe('Shut off');
    expect((await snaps.detail('location').innerText()).trim()).toBe('Internal');
    expect((await snaps.detail('content').innerText()).trim()).toBe('Disks');

    await snaps.revertTo(first);
    expect((await harness.virsh('snapshot-current', VM, '--name')).trim()).toBe(first);
    expect(titleOf(await harness.virsh('dumpxml', '--inactive', VM))).toBeNull();
    expect(await harness.domstate(VM)).toBe('shut off');
    expect((await snaps.rows()).map((r) => [r.name, r.current])).toEqual([
      [first, true],
      [second, false],
    ]);

    await snaps.deleteSnapshot(second);
    const left = await harness.virsh('snapshot-list', VM, '--name');
    expect(
      left
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ).toEqual([first]);
  });

  it('snapshots a running VM with its memory and screen, saves it to a file and restores it', async () => {
    const { page, vms } = await openConnected(browser, host, daemon);
    await vms.search(RUN);
    await vms.waitForState(RUN, 'Running');
    const vm = await VmWindowPage.openFromList(page.context(), vms, RUN);
    const snaps = new VmSnapshotsPage(vm);
    await snaps.open();
    // Running: memory can be saved, so nothing about it is refused up front.
    await snaps.button('saveToFile').and(vm.page.locator(':enabled')).waitFor();
    expect(
      await vm.page
        .getByText('Memory can be saved only while the VM is running or paused.')
        .count(),
    ).toBe(0);

    // A running VM's internal snapshot keeps its memory and a screenshot of its display.
    const taken = await snaps.takeSnapshot();
    expect(taken).toBe('snapshot1');
    await snaps.row(taken).click();
    expect((await snaps.detail('content').innerText()).trim()).toBe('Disks and memory');
    expect((await snaps.detail('state').innerText()).trim()).toBe('Running');
    const shot = snaps.details.getByTestId('snapshot-thumbnail');
    await shot.waitFor({ timeout: 30_000 });
    expect(
      await shot.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await harness.virsh('snapshot-info', RUN, taken)).toMatch(/State:\s+running/);

    const file = path.join(saveDir, `${RUN}.save`);
    const saved = await snaps.saveToFile(file);
    expect(saved).toEqual({ path: file, size: 'unknown' });
    expect(await harness.domstate(RUN)).toBe('shut off');
    // The image is libvirt's: virsh reads the VM's definition back from it.
    expect(await harness.virsh('save-image-dumpxml', file)).toContain(`<name>${RUN}</name>`);
    await vm.state.filter({ hasText: 'Shut off' }).waitFor({ timeout: 30_000 });

    expect(await snaps.restoreFromFile(file)).toEqual({ vm: RUN });
    expect(await harness.domstate(RUN)).toBe('running');
    await vm.state.filter({ hasText: 'Running' }).waitFor({ timeout: 30_000 });
  });

  it('says up front that a raw disk rules out internal snapshots, and takes an external one', async () => {
    await harness.virsh('vol-create-as', POOL, `${RAW}-vda.img`, '16M', '--format', 'raw');
    const disk = (await harness.virsh('vol-path', '--pool', POOL, `${RAW}-vda.img`)).trim();
    await harness.defineGuest(RAW, { disk });
    const xml = (await harness.virsh('dumpxml', '--inactive', RAW)).replace(
      "<driver name='qemu' type='qcow2'/>",
      "<driver name='qemu' type='raw'/>",
    );
    const file = path.join(daemon.dir, `${RAW}-raw.xml`);
    await writeFile(file, xml, { mode: 0o644 });
    await harness.virsh('define', file);

    const { page, vms } = await openConnected(browser, host, daemon);
    await vms.search(RAW);
    await vms.waitForRow(RAW);
    const vm = await VmWindowPage.openFromList(page.context(), vms, RAW);
    const snaps = new VmSnapshotsPage(vm);
    await snaps.open();
    const rawNote = 'Internal snapshots need every disk in qcow2 format; vda is raw.';
    await snaps.notes.getByText(rawNote).waitFor();

    await snaps.button('take').click();
    const dialog = vm.page.getByRole('dialog', { name: 'Take a snapshot' });
    const internal = dialog.getByRole('radio', { name: 'Internal' });
    const external = dialog.getByRole('radio', { name: 'External' });
    await external.waitFor();
    expect(await internal.isDisabled()).toBe(true);
    expect(await external.isChecked()).toBe(true);
    expect(await dialog.getByText(rawNote).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Take snapshot', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
    await snaps.waitForCurrent('snapshot1');
    expect((await harness.virsh('snapshot-list', RAW, '--name', '--external')).trim()).toBe(
      'snapshot1',
    );

    await snaps.row('snapshot1').click();
    expect((await snaps.detail('location').innerText()).trim()).toBe('External');
    // libvirt 9.0 cannot revert to external snapshots: said before trying, Revert disabled.
    const libvirt = (await harness.virsh('version')).match(/libvirt (\d+\.\d+\.\d+)/)?.[1];
    const canRevert = (libvirt ?? '0').localeCompare('9.9.0', undefined, { numeric: true }) >= 0;
    expect(await snaps.button('revert').isDisabled()).toBe(!canRevert);
    if (!canRevert) {
      await snaps.notes
        .getByText(
          `libvirt ${libvirt} on this host cannot revert to external snapshots (9.9 or newer can).`,
        )
        .waitFor();
    }
  });
});
