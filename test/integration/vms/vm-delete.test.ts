import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VmDeletePlan, VmDeleteResult, VmRef } from '../../../shared/contract/vms';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import { runVirsh } from '../../harness/run-virsh';
import {
  harness,
  removeDomain,
  startVmApp,
  testName,
  virsh,
  virshDefine,
  type VmApp,
} from './vm-test-support';

/** Deleting VMs with their disks, against a real dir pool and real UEFI firmware. */
let app: VmApp;
const pool = testName('vd-pool').name;
let poolDir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  app = await startVmApp();
  // Under the daemon's own folder: its user must be able to create and delete files there.
  poolDir = path.join(harness().dir, pool);
  await mkdir(poolDir, { recursive: true });
  await chmod(poolDir, 0o777);
  await virsh(['pool-define-as', pool, 'dir', '--target', poolDir]);
  await virsh(['pool-start', pool]);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await runVirsh(harness().qemuUri, ['pool-destroy', pool]);
  await runVirsh(harness().qemuUri, ['pool-undefine', pool]);
  await app.stop();
});

async function volumes(): Promise<string[]> {
  await virsh(['pool-refresh', pool]);
  return (await virsh(['vol-list', pool]))
    .split('\n')
    .slice(2)
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

/** A firmware guest with the given extra devices, defined through virsh and listed. */
async function define(
  prefix: string,
  devices: string,
  os = '',
): Promise<{ name: string; uuid: string; target: { connectionId: string; uuid: string } }> {
  const g = testName(prefix);
  let xml = firmwareVncGuestXml({ ...g, memoryMiB: 32 }).replace(
    '</devices>',
    `${devices}\n  </devices>`,
  );
  if (os) xml = xml.replace(/<os>[\s\S]*?<\/os>/, os);
  const since = performance.now();
  await virshDefine(xml);
  cleanups.push(() => removeDomain(g.name));
  await app.waitForEvent('vm:added', (vm) => vm.uuid === g.uuid, { since });
  return { ...g, target: { connectionId: app.connectionId, uuid: g.uuid } };
}

const fileDisk = (file: string, target: string, extra = '') =>
  `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${file}'/><target dev='${target}' bus='virtio'/>${extra}</disk>`;

describe('vm:deletePlan and vm:delete', () => {
  it('plans each disk: pool volume, outside any pool, empty drive, shared with another VM', async () => {
    const vol = `${testName('d').name}.img`;
    await virsh(['vol-create-as', pool, vol, '1M', '--format', 'raw']);
    cleanups.push(
      async () => void (await runVirsh(harness().qemuUri, ['vol-delete', vol, '--pool', pool])),
    );
    const outside = path.join(harness().dir, `${testName('loose').name}.img`);
    await writeFile(outside, Buffer.alloc(4096));
    const volPath = path.join(poolDir, vol);
    const vm = await define(
      'vd-plan',
      `${fileDisk(volPath, 'vda')}${fileDisk(outside, 'vdb')}<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>`,
    );
    const other = await define('vd-plan-other', fileDisk(volPath, 'vdc', '<shareable/>'));

    const plan = await app.ok<VmDeletePlan>('vm:deletePlan', vm.target);
    expect(plan).toMatchObject({
      name: vm.name,
      alias: 'host1',
      state: 'shutoff',
      active: false,
      persistent: true,
      nvram: null,
      managedSave: false,
    });
    expect(plan.disks).toEqual([
      {
        target: 'vda',
        device: 'disk',
        path: volPath,
        pool,
        volume: vol,
        deletable: true,
        keepReason: null,
        message: null,
        usedBy: [other.name],
        // Shared with another VM: not pre-ticked.
        suggested: false,
      },
      {
        target: 'vdb',
        device: 'disk',
        path: outside,
        pool: null,
        volume: null,
        deletable: false,
        keepReason: 'not-in-pool',
        message: `Storage volume '${outside}' is not managed by libvirt. Remove it manually.`,
        usedBy: [],
        suggested: false,
      },
      {
        target: 'sda',
        device: 'cdrom',
        path: null,
        pool: null,
        volume: null,
        deletable: false,
        keepReason: 'no-source',
        message: 'The drive is empty',
        usedBy: [],
        suggested: false,
      },
    ]);

    // Choosing the disk outside the pools refuses everything; the VM and volume stay.
    const refused = await app.fails('vm:delete', {
      ...vm.target,
      disks: [
        { target: 'vda', delete: true },
        { target: 'vdb', delete: true },
      ],
    });
    expect(refused).toMatchObject({ kind: 'validation', path: 'disks' });
    expect(refused.message).toContain(`vdb: Storage volume '${outside}' is not managed by libvirt`);
    expect(app.vm(vm.uuid)).toBeDefined();
    expect(await volumes()).toContain(vol);
    expect(existsSync(outside)).toBe(true);
  });

  it('deletes a VM with its volume (gone from vol-list), keeping the disks not chosen', async () => {
    const [keepVol, dropVol] = [`${testName('keep').name}.img`, `${testName('drop').name}.img`];
    for (const vol of [keepVol, dropVol])
      await virsh(['vol-create-as', pool, vol, '1M', '--format', 'raw']);
    cleanups.push(
      async () => void (await runVirsh(harness().qemuUri, ['vol-delete', keepVol, '--pool', pool])),
    );
    const vm = await define(
      'vd-del',
      fileDisk(path.join(poolDir, dropVol), 'vda') + fileDisk(path.join(poolDir, keepVol), 'vdb'),
    );
    const plan = await app.ok<VmDeletePlan>('vm:deletePlan', vm.target);
    expect(plan.disks.map((d) => [d.target, d.deletable, d.suggested])).toEqual([
      ['vda', true, true],
      ['vdb', true, true],
    ]);

    const since = performance.now();
    const result = await app.ok<VmDeleteResult>('vm:delete', {
      ...vm.target,
      disks: [
        { target: 'vda', delete: true },
        { target: 'vdb', delete: false },
      ],
    });
    expect(result).toEqual({
      connectionId: app.connectionId,
      uuid: vm.uuid,
      name: vm.name,
      forcedOff: false,
      undefined: true,
      nvramRemoved: false,
      disks: [{ target: 'vda', path: path.join(poolDir, dropVol), deleted: true }],
    });
    await app.waitForEvent('vm:removed', (p) => p.uuid === vm.uuid, { since });
    expect((await runVirsh(harness().qemuUri, ['dominfo', vm.name])).code).not.toBe(0);
    const left = await volumes();
    expect(left).not.toContain(dropVol);
    expect(left).toContain(keepVol);
  });

  it('refuses a running VM unless forced off, then forces it off and deletes it', async () => {
    const vol = `${testName('run').name}.img`;
    await virsh(['vol-create-as', pool, vol, '1M', '--format', 'raw']);
    const vm = await define('vd-del-run', fileDisk(path.join(poolDir, vol), 'vda'));
    const since = performance.now();
    await app.ok<VmRef>('vm:start', vm.target);
    await app.waitForEvent('vm:changed', (p) => p.uuid === vm.uuid && p.patch.state === 'running', {
      since,
    });

    const request = { ...vm.target, disks: [{ target: 'vda', delete: true }] };
    const refused = await app.fails('vm:delete', request);
    expect(refused).toMatchObject({
      kind: 'validation',
      path: 'forceOff',
      message: `${vm.name} on host1 is running: force it off to delete it (nothing was deleted)`,
    });
    expect((await virsh(['domstate', vm.name])).trim()).toBe('running');
    expect(await volumes()).toContain(vol);

    const result = await app.ok<VmDeleteResult>('vm:delete', { ...request, forceOff: true });
    expect(result).toMatchObject({
      forcedOff: true,
      undefined: true,
      disks: [{ target: 'vda', deleted: true }],
    });
    expect(await volumes()).not.toContain(vol);
    expect((await runVirsh(harness().qemuUri, ['dominfo', vm.name])).code).not.toBe(0);
  });

  it('removes the NVRAM of a UEFI VM (which libvirt refuses to undefine without it)', async () => {
    const vm = await define(
      'vd-del-efi',
      '',
      "<os firmware='efi'><type arch='x86_64' machine='q35'>hvm</type></os><features><acpi/></features>",
    );
    const since = performance.now();
    await app.ok('vm:start', vm.target);
    await app.waitForEvent('vm:changed', (p) => p.uuid === vm.uuid && p.patch.state === 'running', {
      since,
    });
    const nvramPath = app.vm(vm.uuid)?.nvramPath;
    expect(nvramPath).toEqual(expect.stringMatching(/_VARS\.fd$/));
    expect(existsSync(nvramPath as string)).toBe(true);
    expect(app.vm(vm.uuid)?.firmware).toBe('efi');
    await app.ok('vm:forceOff', vm.target);

    const plan = await app.ok<VmDeletePlan>('vm:deletePlan', vm.target);
    expect(plan.nvram).not.toBeNull();
    const result = await app.ok<VmDeleteResult>('vm:delete', { ...vm.target, disks: [] });
    expect(result).toMatchObject({ undefined: true, nvramRemoved: true, disks: [] });
    expect(existsSync(nvramPath as string)).toBe(false);
  });
});
