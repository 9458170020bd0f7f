import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  NewVmHostInfo,
  NewVmProgress,
  OsCatalog,
  OsDetection,
} from '../../../shared/contract/new-vm';
import {
  documentRoot,
  findElement,
  findElements,
  findText,
  getAttribute,
  parseXml,
  type XmlElement,
} from '../../../shared/xml';
import { startVmApp, type VmApp } from '../vms/vm-test-support';
import {
  MiB,
  createDirPool,
  createVm,
  domState,
  dumpXml,
  makeIso,
  poolVolumes,
  run,
  shortName,
  tinySpec,
  virsh,
} from './new-vm-support';

/**
 * Every install method through the app's own handlers against the harness daemon's QEMU
 * driver (TCG): each defines a VM whose XML matches the choices, and starts it where a
 * guest can boot here.
 */
let app: VmApp;
let pool: Awaited<ReturnType<typeof createDirPool>>;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  app = await startVmApp({ alias: 'newvm-host' });
  pool = await createDirPool();
}, 60_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await pool?.remove();
  await app?.stop();
});

const root = (xml: string): XmlElement => documentRoot(parseXml(xml));
const attr = (el: XmlElement | undefined, name: string) =>
  el ? getAttribute(el, name) : undefined;

describe('host facts and the OS list', () => {
  it('reads arches, q35 as the default machine, firmware, TPM and the session connection', async () => {
    const info = await app.ok<NewVmHostInfo>('newVm:hostInfo', { connectionId: app.connectionId });
    expect(info.hostArch).toBe('x86_64');
    const x86 = info.arches.find((a) => a.arch === 'x86_64');
    expect(x86?.defaultMachine).toMatch(/^pc-q35-/);
    expect(x86?.domainTypes).toContain('qemu');
    expect(x86?.machines.some((m) => m.name === 'q35' && m.canonical === x86.defaultMachine)).toBe(
      true,
    );
    expect(info.hostMemoryBytes).toBeGreaterThan(256 * MiB);
    expect(info.hostCpus).toBeGreaterThan(0);
    expect(info.maxVcpus).toBeGreaterThan(1);
    expect(info.firmware.bios).toBe(true);
    // Debian's ovmf ships descriptors with and without Secure Boot.
    expect(info.firmware).toMatchObject({ efi: true, secureBoot: true });
    expect(info.tpm.versions).toContain('2.0');
    expect(info.session).toBe(true);
    expect(info.defaultNetwork).toEqual({ defined: false, active: false });
    expect(info.pools.some((p) => p.name === pool.name && p.state === 'running')).toBe(true);
  });

  it('lists osinfo-db', async () => {
    const catalog = await app.ok<OsCatalog>('newVm:osList', {});
    expect(catalog.source).toBe('osinfo-db');
    expect(catalog.oses.some((o) => o.shortId === 'win11')).toBe(true);
  });
});

describe('install methods', () => {
  it('manual: a new qcow2 volume, defined with a UUID and started', async () => {
    const name = shortName('m');
    const spec = tinySpec(app, name, {
      storage: { kind: 'new', pool: pool.name, size: { value: 16, unit: 'MiB' }, format: 'qcow2' },
    });
    const since = performance.now();
    const { created, preview, jobId } = await createVm(app, spec, cleanups);
    expect(created).toEqual({
      connectionId: app.connectionId,
      uuid: preview.uuid,
      name,
      started: true,
    });
    expect(preview.volumes).toEqual([
      { pool: pool.name, name: `${name}.qcow2`, capacityBytes: 16 * MiB, purpose: 'disk' },
    ]);
    expect(await domState(name)).toBe('running');
    const xml = root(await dumpXml(name, true));
    expect(findText(xml, 'uuid')).toBe(preview.uuid);
    expect(attr(findElement(xml, 'os/type'), 'machine')).toMatch(/^pc-q35-/);
    const disk = findElement(xml, 'devices/disk') as XmlElement;
    expect(attr(findElement(disk, 'source'), 'volume')).toBe(`${name}.qcow2`);
    expect(attr(findElement(disk, 'target'), 'bus')).toBe('virtio');
    expect(attr(findElement(disk, 'driver'), 'type')).toBe('qcow2');
    expect(attr(findElement(xml, 'devices/interface'), 'type')).toBe('user');
    expect(await poolVolumes(pool.name)).toContain(`${name}.qcow2`);
    // Progress went through the phases in order and ended with done.
    const phases = app.events
      .filter((e) => e.at >= since && e.event.name === 'newVm:progress')
      .map((e) => e.event.payload as NewVmProgress)
      .filter((p) => p.jobId === jobId)
      .map((p) => p.phase);
    expect(phases[0]).toBe('checking');
    expect(phases.slice(-3)).toEqual(['defining', 'starting', 'done']);
  });

  it('PXE: boots the network first (user-mode networking: the daemon is unprivileged) and starts', async () => {
    const name = shortName('p');
    await createVm(app, tinySpec(app, name, { method: { kind: 'pxe' } }), cleanups);
    expect(await domState(name)).toBe('running');
    const xml = root(await dumpXml(name, true));
    expect(findElements(xml, 'os/boot').map((b) => getAttribute(b, 'dev'))).toEqual(['network']);
    expect(attr(findElement(xml, 'devices/interface/model'), 'type')).toBe('virtio');
  });

  it('import: boots the given image, creates no volume', async () => {
    const name = shortName('i');
    const image = `${name}-disk.qcow2`;
    await virsh(['vol-create-as', pool.name, image, '16M', '--format', 'qcow2']);
    const before = await poolVolumes(pool.name);
    const { preview } = await createVm(
      app,
      tinySpec(app, name, {
        method: { kind: 'import', disk: { kind: 'volume', pool: pool.name, volume: image } },
      }),
      cleanups,
    );
    expect(preview.volumes).toEqual([]);
    expect(await domState(name)).toBe('running');
    const disk = findElement(root(await dumpXml(name, true)), 'devices/disk') as XmlElement;
    expect(attr(findElement(disk, 'source'), 'volume')).toBe(image);
    // The format libvirt reports for the volume, not a guess.
    expect(attr(findElement(disk, 'driver'), 'type')).toBe('qcow2');
    expect((await poolVolumes(pool.name)).sort()).toEqual(before.sort());
  });

  it('media: detects the OS from the ISO label, attaches it as the first-booting CD-ROM', async () => {
    const name = shortName('d');
    const iso = `${name}.iso`;
    await makeIso(pool, iso, 'Debian 11.5.0 amd64 n');
    const media = { kind: 'volume' as const, pool: pool.name, volume: iso };
    const detected = await app.ok<OsDetection>('newVm:detectOs', {
      connectionId: app.connectionId,
      media,
    });
    expect(detected).toEqual({
      osId: 'http://debian.org/debian/11',
      matchedBy: 'volume-id',
      volumeId: 'Debian 11.5.0 amd64 n',
    });
    // By path too (the volume is found through its pool).
    const byPath = await app.ok<OsDetection>('newVm:detectOs', {
      connectionId: app.connectionId,
      media: { kind: 'path', path: `${pool.dir}/${iso}` },
    });
    expect(byPath.osId).toBe('http://debian.org/debian/11');
    const spec = tinySpec(app, name, {
      method: { kind: 'media', media },
      osId: detected.osId,
      storage: { kind: 'new', pool: pool.name, size: { value: 16, unit: 'MiB' }, format: 'raw' },
    });
    const { preview } = await createVm(app, spec, cleanups);
    // Debian 11 wants 1 GiB: a warning, not a refusal.
    expect(preview.problems).toContainEqual(
      expect.objectContaining({ step: 'resources', field: 'memoryBytes', severity: 'warning' }),
    );
    expect(await domState(name)).toBe('running');
    const xml = root(await dumpXml(name, true));
    expect(findElements(xml, 'os/boot').map((b) => getAttribute(b, 'dev'))).toEqual([
      'cdrom',
      'hd',
    ]);
    const [cdrom, disk] = findElements(xml, 'devices/disk');
    expect(attr(cdrom, 'device')).toBe('cdrom');
    expect(attr(findElement(cdrom as XmlElement, 'source'), 'volume')).toBe(iso);
    expect(attr(findElement(cdrom as XmlElement, 'target'), 'bus')).toBe('sata');
    expect(attr(findElement(disk as XmlElement, 'driver'), 'type')).toBe('raw');
    expect(attr(findElement(xml, 'metadata/libosinfo:libosinfo/libosinfo:os'), 'id')).toBe(
      'http://debian.org/debian/11',
    );
  });

  it('cloud: an overlay of the base image grown to the size, plus a NoCloud seed with the SSH key', async () => {
    const name = shortName('c');
    const base = `${name}-base.qcow2`;
    await virsh(['vol-create-as', pool.name, base, '8M', '--format', 'qcow2']);
    const key =
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx1c2VyLWtleS1mb3ItdGVzdHMtb25seQ test@virtdeck';
    const spec = tinySpec(app, name, {
      method: {
        kind: 'cloud',
        base: { kind: 'volume', pool: pool.name, volume: base },
        mode: 'overlay',
        cloudInit: { user: 'alice', sshKeys: [key], hostname: 'cloudy' },
      },
      storage: { kind: 'new', pool: pool.name, size: { value: 32, unit: 'MiB' }, format: 'qcow2' },
    });
    const { preview } = await createVm(app, spec, cleanups);
    expect(preview.volumes.map((v) => [v.name, v.purpose])).toEqual([
      [`${name}.qcow2`, 'disk'],
      [`${name}-cidata.iso`, 'seed'],
    ]);
    expect(await domState(name)).toBe('running');
    const xml = root(await dumpXml(name, true));
    const disks = findElements(xml, 'devices/disk');
    expect(disks.map((d) => getAttribute(d, 'device'))).toEqual(['disk', 'cdrom']);
    expect(attr(findElement(disks[1] as XmlElement, 'source'), 'volume')).toBe(
      `${name}-cidata.iso`,
    );
    const vol = root(await virsh(['vol-dumpxml', `${name}.qcow2`, '--pool', pool.name]));
    expect(findText(vol, 'capacity')).toBe(String(32 * MiB));
    expect(findText(vol, 'backingStore/path')).toBe(`${pool.dir}/${base}`);
    // Read the seed back through libvirt and look inside with isoinfo.
    const seedFile = path.join(os.tmpdir(), `${name}-seed.iso`);
    cleanups.push(() => rm(seedFile, { force: true }));
    await virsh(['vol-download', `${name}-cidata.iso`, seedFile, '--pool', pool.name]);
    const { stdout: label } = await run('isoinfo', ['-d', '-i', seedFile]);
    expect(label).toMatch(/Volume id:\s+cidata/i);
    const { stdout: userData } = await run('isoinfo', ['-R', '-x', '/user-data', '-i', seedFile]);
    expect(userData).toContain('#cloud-config');
    expect(userData).toContain(key);
    expect(userData).toContain('alice');
    const { stdout: metaData } = await run('isoinfo', ['-R', '-x', '/meta-data', '-i', seedFile]);
    // The instance id is the VM's UUID: a new VM is a new instance to cloud-init.
    expect(metaData).toContain(preview.uuid);
    expect(metaData).toContain('cloudy');
  });

  it('cloud with a copy: a raw clone of the base grown to the size', async () => {
    const name = shortName('k');
    const base = `${name}-base.img`;
    await virsh(['vol-create-as', pool.name, base, '8M', '--format', 'raw']);
    await createVm(
      app,
      tinySpec(app, name, {
        method: {
          kind: 'cloud',
          base: { kind: 'volume', pool: pool.name, volume: base },
          mode: 'clone',
          cloudInit: { user: 'bob', password: 'secret', sshKeys: [], hostname: 'c2' },
        },
        storage: { kind: 'new', pool: pool.name, size: { value: 24, unit: 'MiB' }, format: 'raw' },
      }),
      cleanups,
    );
    const vol = root(await virsh(['vol-dumpxml', `${name}.img`, '--pool', pool.name]));
    expect(findText(vol, 'capacity')).toBe(String(24 * MiB));
    expect(findElement(vol, 'backingStore/path')).toBeUndefined();
    expect(await domState(name)).toBe('running');
  });

  it('the Windows 11 preset starts under TCG with Secure Boot firmware, TPM 2.0 and the driver ISO', async () => {
    const name = shortName('w');
    const iso = `${name}.iso`;
    const drivers = `${name}-virtio-win.iso`;
    await makeIso(pool, iso, 'CCCOMA_X64FRE_EN-US_DV9');
    await makeIso(pool, drivers, 'virtio-win-0.1.240');
    const detected = await app.ok<OsDetection>('newVm:detectOs', {
      connectionId: app.connectionId,
      media: { kind: 'volume', pool: pool.name, volume: iso },
    });
    expect(detected).toMatchObject({ osId: 'http://microsoft.com/win/11', matchedBy: 'volume-id' });
    const spec = tinySpec(app, name, {
      method: { kind: 'media', media: { kind: 'volume', pool: pool.name, volume: iso } },
      osId: detected.osId,
      storage: { kind: 'new', pool: pool.name, size: { value: 16, unit: 'MiB' }, format: 'qcow2' },
      firmware: 'efi',
      secureBoot: true,
      tpm: true,
      graphics: 'spice',
      driverIso: { kind: 'volume', pool: pool.name, volume: drivers },
    });
    const { created, preview } = await createVm(app, spec, cleanups, { customize: true });
    expect(created.started).toBe(false);
    expect(preview.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const xml = root(await dumpXml(name, true));
    expect(attr(findElement(xml, 'os'), 'firmware')).toBe('efi');
    expect(attr(findElement(xml, 'features/smm'), 'state')).toBe('on');
    // TCG here: QEMU refuses Hyper-V enlightenments without KVM, so the preset leaves them out.
    expect(findElement(xml, 'features/hyperv')).toBeUndefined();
    expect(attr(findElement(xml, 'clock'), 'offset')).toBe('localtime');
    expect(attr(findElement(xml, 'devices/tpm/backend'), 'version')).toBe('2.0');
    const disks = findElements(xml, 'devices/disk');
    expect(disks.map((d) => getAttribute(d, 'device'))).toEqual(['cdrom', 'disk', 'cdrom']);
    expect(attr(findElement(disks[2] as XmlElement, 'source'), 'volume')).toBe(drivers);
    expect(attr(findElement(disks[1] as XmlElement, 'target'), 'bus')).toBe('sata');
    // "Begin installation": libvirt 9.0 picks the firmware at start, from the host's
    // descriptors — a Secure Boot build with the Microsoft keys enrolled.
    await app.ok('newVm:begin', { connectionId: app.connectionId, uuid: created.uuid });
    expect(await domState(name)).toBe('running');
    const live = root(await dumpXml(name));
    expect(attr(findElement(live, 'os/loader'), 'secure')).toBe('yes');
    expect(findText(live, 'os/loader')).toMatch(/OVMF_CODE.*\.(secboot|ms)\.fd$/);
  });
});
