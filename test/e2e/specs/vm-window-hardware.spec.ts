import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VmHardwarePage } from '../pages/vm-hardware.page';
import { VmHarness } from '../pages/vm-harness.page';
import { openConnected } from '../pages/vm-session.page';
import { VmWindowPage } from '../pages/vm-window.page';
import { launchBrowser } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

const OFF = 'e2e-hw-off';
const RUN = 'e2e-hw-run';
const POOL = 'e2e-hw-pool';

/** The `<disk device='cdrom'>` element of a dumpxml, or '' when there is none. */
function cdrom(xml: string): string {
  return /<disk type='file' device='cdrom'>[\s\S]*?<\/disk>/.exec(xml)?.[0] ?? '';
}

/**
 * Hardware as a new user changes it in a VM window (Chromium through the web host, the
 * harness daemon's QEMU driver): a disk on a new volume and a NIC from Add Hardware on a
 * shut-off VM, and the CD-ROM of a running VM ejected. virsh beside the app checks what
 * libvirt stored, and what the running VM has.
 */
describe('VM window: hardware (web host, Chromium, harness libvirtd)', () => {
  const daemon = inject('libvirtd');
  const harness = new VmHarness(daemon);
  let host: RunningWebHost;
  let browser: Browser;
  let iso: string;

  beforeAll(async () => {
    await harness.definePool(POOL);
    await harness.defineGuest(OFF);
    await harness.defineGuest(RUN);
    // A CD-ROM with a medium (any readable file will do for a firmware-only guest).
    iso = path.join(daemon.dir, 'e2e-hw-media.iso');
    await writeFile(iso, Buffer.alloc(64 * 1024));
    await chmod(iso, 0o644);
    await harness.virsh(
      'attach-disk',
      RUN,
      iso,
      'hdc',
      '--type',
      'cdrom',
      '--targetbus',
      'ide',
      '--mode',
      'readonly',
      '--config',
    );
    await harness.virsh('start', RUN);
    host = await startWebHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await harness.cleanUp();
  });

  async function open(name: string): Promise<VmHardwarePage> {
    const { page, vms } = await openConnected(browser, host, daemon);
    await vms.search('e2e-hw');
    await vms.waitForRow(name);
    return new VmHardwarePage(await VmWindowPage.openFromList(page.context(), vms, name));
  }

  it('adds a disk on a new 16 MiB volume, then a NIC, to a shut-off VM', async () => {
    const hw = await open(OFF);
    await hw.openAddHardware();
    const form = hw.addDialog.getByTestId('add-storage-form');
    await hw.choose(form, 'Pool', POOL);
    await hw.field(form, 'Size').fill('16');
    await hw.choose(form, 'Unit', 'MiB');
    expect(await hw.field(form, 'Volume name').inputValue()).toBe(`${OFF}-vda.qcow2`);
    const diskDiff = await hw.finishAndApply();
    expect(diskDiff).toContain(`+      <source pool='${POOL}' volume='${OFF}-vda.qcow2'/>`);

    const afterDisk = await harness.virsh('dumpxml', '--inactive', OFF);
    expect(afterDisk).toContain(`<source pool='${POOL}' volume='${OFF}-vda.qcow2'/>`);
    expect(afterDisk).toContain("<target dev='vda' bus='virtio'/>");
    expect(afterDisk).toContain("<driver name='qemu' type='qcow2'/>");
    // The volume exists with the size asked for, in the unit asked for.
    const info = await harness.virsh('vol-info', '--bytes', '--pool', POOL, `${OFF}-vda.qcow2`);
    expect(info).toMatch(/Capacity:\s+16777216 bytes/);
    await hw.window.nav.getByText('Disk vda', { exact: true }).waitFor();

    await hw.openAddHardware();
    await hw.chooseType('network');
    const nic = hw.addDialog.getByTestId('add-nic-form');
    await hw.choose(nic, 'Network source', 'Usermode networking');
    await hw.field(nic, 'MAC address (optional)').fill('52:54:00:e2:e2:01');
    const nicDiff = await hw.finishAndApply();
    expect(nicDiff).toContain("+      <mac address='52:54:00:e2:e2:01'/>");
    const afterNic = await harness.virsh('dumpxml', '--inactive', OFF);
    expect(afterNic).toMatch(
      /<interface type='user'>\s*<mac address='52:54:00:e2:e2:01'\/>\s*<model type='virtio'\/>/,
    );
    // The disk added before is still there, unchanged.
    expect(afterNic).toContain(`<source pool='${POOL}' volume='${OFF}-vda.qcow2'/>`);
    await hw.window.nav.getByText('NIC 52:54:00:e2:e2:01', { exact: true }).waitFor();
  });

  // Uses the disk vda the first test added.
  it('sets a read limit on a disk in MiB/s: stored as bytes/s in <iotune>', async () => {
    const hw = await open(OFF);
    await hw.window.openPage('Disk vda');
    await hw.choose(hw.diskPage, 'Unit for bytes/s', 'MiB/s');
    await hw.field(hw.diskPage, 'Read throughput').fill('2');
    const diff = await hw.applyDevicePage(hw.diskPage);
    expect(diff).toContain('+        <read_bytes_sec>2097152</read_bytes_sec>');
    const xml = await harness.virsh('dumpxml', '--inactive', OFF);
    expect(xml).toMatch(/<iotune>\s*<read_bytes_sec>2097152<\/read_bytes_sec>\s*<\/iotune>/);
    // Read back from libvirt, the page shows the limit in the unit it was typed in.
    await expect
      .poll(() => hw.field(hw.diskPage, 'Read throughput').inputValue(), { timeout: 30_000 })
      .toBe('2');
  });

  it('refuses a multicast MAC in the form before anything reaches libvirt', async () => {
    const hw = await open(OFF);
    await hw.openAddHardware();
    await hw.chooseType('network');
    const nic = hw.addDialog.getByTestId('add-nic-form');
    await hw.field(nic, 'MAC address (optional)').fill('01:00:5e:00:00:01');
    await nic.getByText('This is a multicast address').waitFor();
    expect(await hw.addDialog.getByRole('button', { name: 'Finish' }).isDisabled()).toBe(true);
  });

  it('adds a macvtap NIC on a host interface the form lists, in private mode', async () => {
    const hw = await open(OFF);
    await hw.openAddHardware();
    await hw.chooseType('network');
    const nic = hw.addDialog.getByTestId('add-nic-form');
    await hw.choose(nic, 'Network source', 'Host device (macvtap)');
    await nic.getByText('the host and this guest cannot reach each other').waitFor();
    // The host's interfaces as libvirt lists them (the loopback is never offered).
    const hostNames = (await harness.virsh('iface-list', '--all'))
      .split('\n')
      .slice(2)
      .map((l) => l.trim().split(/\s+/)[0] ?? '')
      .filter(Boolean);
    await nic
      .locator('.v-combobox')
      .filter({ has: hw.page.getByRole('combobox', { name: 'Host device', exact: true }) })
      .locator('.v-field')
      .click();
    const options = hw.page.getByRole('option');
    await options.first().waitFor();
    const offered = (await options.locator('.v-list-item-title').allInnerTexts()).map((n) =>
      n.trim(),
    );
    expect(offered.length).toBeGreaterThan(0);
    expect(offered).not.toContain('lo');
    for (const name of offered) expect(hostNames).toContain(name);
    const dev = offered[0] ?? '';
    await options.first().click();
    await hw.choose(nic, 'Source mode', 'Private');
    await nic.getByText('Private: like VEPA').waitFor();
    await hw.field(nic, 'MAC address (optional)').fill('52:54:00:e2:e2:02');
    const diff = await hw.finishAndApply();
    expect(diff).toContain(`+      <source dev='${dev}' mode='private'/>`);
    const xml = await harness.virsh('dumpxml', '--inactive', OFF);
    expect(xml).toMatch(
      new RegExp(
        `<interface type='direct'>\\s*<mac address='52:54:00:e2:e2:02'/>\\s*<source dev='${dev}' mode='private'/>`,
      ),
    );
  });

  it('adds an emulated TPM 2.0 from Add Hardware to a shut-off VM', async () => {
    const hw = await open(OFF);
    await hw.openAddHardware();
    await hw.chooseType('tpm');
    const form = hw.addDialog.getByTestId('add-tpm-form');
    // The form's defaults: TPM 2.0 emulated by swtpm, CRB interface.
    expect(await form.getByTestId('add-device-xml').innerText()).toContain(
      "<backend type='emulator' version='2.0'/>",
    );
    const diff = await hw.finishAndApply();
    expect(diff).toContain("+    <tpm model='tpm-crb'>");
    const xml = await harness.virsh('dumpxml', '--inactive', OFF);
    expect(xml).toMatch(
      /<tpm model='tpm-crb'>\s*<backend type='emulator' version='2\.0'\/>\s*<\/tpm>/,
    );
    await hw.window.nav.getByText('TPM tpm-crb', { exact: true }).waitFor();
  });

  it('says so when the host has no mediated devices (vGPU) to add', async () => {
    const hw = await open(OFF);
    await hw.openAddHardware();
    await hw.chooseType('mdevHost');
    await hw.addDialog
      .getByTestId('add-mdev-none')
      .filter({ hasText: 'No mediated devices on this host' })
      .waitFor({ timeout: 30_000 });
    expect(await hw.addDialog.getByRole('button', { name: 'Finish' }).isDisabled()).toBe(true);
  });

  it('ejects the CD of a running VM: gone live and in the configuration', async () => {
    const hw = await open(RUN);
    expect(cdrom(await harness.virsh('dumpxml', RUN))).toContain(iso);
    await hw.window.openPage('CD-ROM hdc');
    expect(await hw.mediaCard.getByTestId('disk-media-current').innerText()).toBe(iso);
    await hw.eject();
    const live = hw.window.preview.getByTestId('edit-preview-live');
    await live.waitFor({ timeout: 30_000 });
    await hw.window.confirmPreview();
    await hw.mediaCard.getByTestId('disk-media-current').filter({ hasText: 'No media' }).waitFor();
    const liveXml = cdrom(await harness.virsh('dumpxml', RUN));
    const inactiveXml = cdrom(await harness.virsh('dumpxml', '--inactive', RUN));
    expect(liveXml).not.toBe('');
    // The running VM may keep an empty `<source index='2'/>` (QEMU's blockdev node): no file.
    expect(liveXml).not.toMatch(/<source[^>]*file=/);
    expect(liveXml).not.toContain(iso);
    expect(inactiveXml).not.toBe('');
    expect(inactiveXml).not.toContain('<source');
    expect(await harness.domstate(RUN)).toBe('running');
  });
});
