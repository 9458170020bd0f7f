import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runVirsh } from '../../harness/run-virsh';
import { NewVmPage } from '../pages/new-vm.page';
import { VmHardwarePage } from '../pages/vm-hardware.page';
import { VmHarness } from '../pages/vm-harness.page';
import { openConnected } from '../pages/vm-session.page';
import { launchBrowser } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

const run = promisify(execFile);

const POOL = 'e2e-newvm-pool';
const ISO_LABEL = 'Debian 11.6.0 amd64 n';
const ISO_VM = 'debian11';
const CLOUD_VM = 'e2e-cloud-vm';
const CUSTOM_VM = 'e2e-custom-vm';
const CLOUD_BASE = 'cloud-base.qcow2';
const TAKEN = 'e2e-newvm-taken';

/**
 * The New VM wizard in Chromium through the web host, as a new user creates VMs on the
 * harness's private QEMU daemon: from an installer ISO uploaded through the wizard, from a
 * cloud image with an SSH key, and one customized (a second NIC) before it starts; then
 * bad input refused on its step before anything is made. The daemon is unprivileged
 * (qemu:///session-like): it has no "default" network and cannot start one (that needs
 * root and bridges), so the wizard's own choice there — user-mode networking — is used.
 */
describe('New VM wizard (web host, Chromium, harness libvirtd)', () => {
  const daemon = inject('libvirtd');
  const harness = new VmHarness(daemon);
  let localDir: string;
  let host: RunningWebHost;
  let browser: Browser;

  beforeAll(async () => {
    localDir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-e2e-newvm-'));
    const poolDir = await harness.definePool(POOL);
    // A cloud image as the host keeps it: a tiny qcow2 in the pool, readable by the daemon.
    const base = path.join(localDir, CLOUD_BASE);
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', base, '64M']);
    await copyFile(base, path.join(poolDir, CLOUD_BASE));
    await chmod(path.join(poolDir, CLOUD_BASE), 0o644);
    await harness.virsh('pool-refresh', POOL);
    // A VM already on the host, whose name the wizard must refuse.
    await harness.defineGuest(TAKEN);
    host = await startWebHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    for (const name of [ISO_VM, CLOUD_VM, CUSTOM_VM]) {
      await runVirsh(daemon.qemuUri, ['destroy', name]);
      await runVirsh(daemon.qemuUri, ['undefine', name, '--nvram', '--managed-save']);
    }
    await harness.cleanUp();
    await rm(localDir, { recursive: true, force: true });
  });

  it('creates a VM from an ISO uploaded through the wizard, with the defaults, and it starts', async () => {
    const isoDir = path.join(localDir, 'iso');
    await mkdir(isoDir);
    await writeFile(path.join(isoDir, 'README.TXT'), 'VirtDeck e2e installer\n');
    const iso = path.join(localDir, 'debian-netinst.iso');
    await run('genisoimage', ['-quiet', '-V', ISO_LABEL, '-o', iso, isoDir]);

    const { page, vms } = await openConnected(browser, host, daemon);
    const wizard = await NewVmPage.open(page, 'keyboard');
    await wizard.nextTo('method');

    await wizard.uploadMedia(POOL, iso);
    await wizard.nextTo('os');
    // Back on the method step: the upload's progress row ended as done, and the ISO is now
    // a volume of the pool like any other.
    await wizard.back('method');
    await wizard.dialog.locator('[data-testid="transfer"][data-outcome="done"]').waitFor();
    expect(
      await wizard.radio('Volume in a pool', wizard.dialog.getByTestId('new-vm-media')).isChecked(),
    ).toBe(true);
    await wizard.nextTo('os');
    // The upload went through libvirt into the pool, byte for byte.
    expect(await harness.volumes(POOL)).toContain('debian-netinst.iso');
    const downloaded = path.join(localDir, 'back.iso');
    await harness.virsh('vol-download', '--pool', POOL, 'debian-netinst.iso', downloaded);
    expect(Buffer.compare(await readFile(downloaded), await readFile(iso))).toBe(0);

    // osinfo's media rule matched the ISO's volume label.
    const detected = wizard.dialog.getByTestId('new-vm-os-detected');
    await detected.waitFor({ timeout: 90_000 });
    expect(await detected.innerText()).toBe(
      `Detected Debian 11 from the volume label ${ISO_LABEL}`,
    );
    await wizard.nextTo('resources');
    // Debian 11's recommendation in osinfo-db: 1 GiB, and its minimum of one vCPU.
    expect(await wizard.field('Memory').inputValue()).toBe('1024');
    expect(await wizard.field('vCPUs').inputValue()).toBe('1');
    await wizard.nextTo('storage');
    await wizard.dialog.getByTestId('new-vm-pool-capacity').waitFor();
    expect(await wizard.field('Size').inputValue()).toBe('20');
    await wizard.nextTo('finish');
    expect(await wizard.field('Name').inputValue()).toBe(ISO_VM);
    await wizard.dialog.getByTestId('new-vm-no-default-network').waitFor();
    await wizard.nextTo('summary');

    const xml = await wizard.summaryXml();
    expect(xml).toMatch(/<uuid>[0-9a-f-]{36}<\/uuid>/);
    expect(xml).toContain(`<name>${ISO_VM}</name>`);
    expect(xml).toContain("<interface type='user'>");
    const vm = await wizard.create(ISO_VM);
    // A VM started from the wizard opens on its console.
    expect(await vm.tab('Console').getAttribute('aria-selected')).toBe('true');
    await vm.state.filter({ hasText: 'Running' }).waitFor({ timeout: 60_000 });
    expect(await harness.domstate(ISO_VM)).toBe('running');

    const defined = await harness.virsh('dumpxml', '--inactive', ISO_VM);
    expect(defined).toContain(xml.match(/<uuid>([^<]+)<\/uuid>/)?.[0] ?? '<uuid>?');
    expect(defined).toMatch(/<disk type='(file|volume)' device='cdrom'>/);
    expect(defined).toContain('debian-netinst.iso');
    await vms.waitForRow(ISO_VM);
  }, 240_000);

  it('creates a VM from a cloud image with an SSH key from a .pub file', async () => {
    const keyFile = path.join(localDir, 'id_ed25519');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'e2e@virtdeck', '-f', keyFile]);
    const publicKey = (await readFile(`${keyFile}.pub`, 'utf8')).trim();

    const { page, vms } = await openConnected(browser, host, daemon);
    const wizard = await NewVmPage.open(page);
    await wizard.nextTo('method');
    await wizard.chooseMethod('Cloud image with cloud-init');
    await wizard.chooseVolume('new-vm-cloud-base', POOL, CLOUD_BASE);
    await wizard.field('Host name').fill('e2e-cloud');
    await wizard.addSshKeyFile(`${keyFile}.pub`);
    // The browser reads the file: the key shows in the field once read.
    await expect
      .poll(() => wizard.field('SSH public keys').inputValue(), { timeout: 10_000 })
      .toBe(publicKey);
    await wizard.nextTo('os');
    await wizard.nextTo('resources');
    await wizard.nextTo('storage');
    await wizard.field('Size').fill('1');
    await wizard.nextTo('finish');
    await wizard.field('Name').fill(CLOUD_VM);
    await wizard.nextTo('summary');
    await wizard.dialog.getByText(/^cloud-init seed .* in e2e-newvm-pool/).waitFor();
    const vm = await wizard.create(CLOUD_VM);
    await vm.state.filter({ hasText: 'Running' }).waitFor({ timeout: 60_000 });

    // The seed is a NoCloud ISO in the pool, attached as a CD-ROM, holding the key.
    const xml = await harness.virsh('dumpxml', '--inactive', CLOUD_VM);
    const seed = (await harness.volumes(POOL)).find(
      (v) => v.includes(CLOUD_VM) && xml.includes(v) && /seed|cidata/.test(v),
    );
    expect(seed, xml).toBeDefined();
    const seedFile = path.join(localDir, 'seed.iso');
    await harness.virsh('vol-download', '--pool', POOL, seed as string, seedFile);
    const label = (await run('isoinfo', ['-d', '-i', seedFile])).stdout;
    expect(label).toMatch(/Volume id: cidata/i);
    const userData = (await run('isoinfo', ['-J', '-i', seedFile, '-x', '/user-data'])).stdout;
    expect(userData).toContain(publicKey);
    await vms.waitForRow(CLOUD_VM);
  }, 240_000);

  it('customizes a VM before install: a second NIC in Details, then Begin installation', async () => {
    const { page, vms } = await openConnected(browser, host, daemon);
    const wizard = await NewVmPage.open(page);
    await wizard.nextTo('method');
    await wizard.chooseMethod('Manual install (no media)');
    await wizard.nextTo('os');
    await wizard.nextTo('resources');
    await wizard.field('Memory').fill('256');
    await wizard.nextTo('storage');
    await wizard.radio('No disk').check();
    await wizard.nextTo('finish');
    await wizard.field('Name').fill(CUSTOM_VM);
    await wizard.nextTo('summary');
    const vm = await wizard.create(CUSTOM_VM, { customize: true });

    // Defined, not started, and its window opened on Details with the install bar.
    expect(await vm.tab('Details').getAttribute('aria-selected')).toBe('true');
    expect(await harness.domstate(CUSTOM_VM)).toBe('shut off');
    const bar = vm.page.getByTestId('new-vm-install-bar');
    await bar.waitFor();

    const hw = new VmHardwarePage(vm);
    await hw.openAddHardware();
    await hw.chooseType('network');
    const nic = hw.addDialog.getByTestId('add-nic-form');
    // User-mode: the unprivileged daemon has no network it could attach a second card to.
    await hw.choose(nic, 'Network source', 'Usermode networking');
    await hw.field(nic, 'MAC address (optional)').fill('52:54:00:e2:e9:01');
    await hw.finishAndApply();

    await bar.getByRole('button', { name: 'Begin installation' }).click();
    await bar.waitFor({ state: 'hidden', timeout: 60_000 });
    await vm.state.filter({ hasText: 'Running' }).waitFor({ timeout: 60_000 });
    expect(await vm.tab('Console').getAttribute('aria-selected')).toBe('true');
    const ifaces = await harness.virsh('domiflist', CUSTOM_VM);
    expect(ifaces).toContain('52:54:00:e2:e9:01');
    expect(ifaces.split('\n').filter((l) => /52:54:00/.test(l))).toHaveLength(2);

    // All three are in the list, as the user sees it.
    await vms.search('');
    for (const name of [ISO_VM, CLOUD_VM, CUSTOM_VM]) await vms.waitForRow(name);
  }, 240_000);

  it('refuses a disk larger than the pool, an empty name and a taken one, each on its step', async () => {
    const before = {
      vms: await harness.virsh('list', '--all', '--name'),
      volumes: await harness.volumes(POOL),
    };
    const { page } = await openConnected(browser, host, daemon);
    const wizard = await NewVmPage.open(page);
    await wizard.nextTo('method');
    await wizard.chooseMethod('Manual install (no media)');
    await wizard.nextTo('os');
    await wizard.nextTo('resources');
    await wizard.nextTo('storage');

    await wizard.choose('Pool', POOL);
    await wizard.field('Size').fill('500');
    await wizard.choose('Unit', 'TiB');
    expect(await wizard.next()).toBe('storage');
    expect(await wizard.said()).toMatch(
      /The disk \(.+\) is larger than the .+ free in e2e-newvm-pool/,
    );
    await wizard.field('Size').fill('1');
    await wizard.choose('Unit', 'GiB');
    await wizard.nextTo('finish');

    await wizard.field('Name').fill('');
    expect(await wizard.next()).toBe('finish');
    expect(await wizard.said()).toContain('A name is required');
    await wizard.field('Name').fill(TAKEN);
    expect(await wizard.next()).toBe('finish');
    expect(await wizard.said()).toContain(`A VM named ${TAKEN} already exists on this host`);
    await wizard.cancel();

    // Nothing was created on the way.
    expect(await harness.virsh('list', '--all', '--name')).toBe(before.vms);
    expect(await harness.volumes(POOL)).toEqual(before.volumes);
  }, 180_000);
});
