import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClonePlan, CloneProgress, CloneResult } from '../../../shared/contract/clone';
import {
  childElements,
  documentRoot,
  findElement,
  findElements,
  findText,
  getAttribute,
  parseXml,
  readDisk,
} from '../../../shared/xml';
import { removeDomain, startVmApp, virsh, type VmApp } from '../vms/vm-test-support';
import {
  createDirPool,
  defineGuest,
  domainNames,
  hasPattern,
  poolVolumes,
  sameContents,
} from './clone-test-support';

/** Clones of a shut-off VM through the handler table, checked with virsh and qemu-img. */
let app: VmApp;
let poolA: Awaited<ReturnType<typeof createDirPool>>;
let poolB: Awaited<ReturnType<typeof createDirPool>>;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  app = await startVmApp({ alias: 'clone-host' });
  poolA = await createDirPool('vd-clone-a');
  poolB = await createDirPool('vd-clone-b');
}, 60_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await poolA?.remove();
  await poolB?.remove();
  await app?.stop();
});

function deviceSummary(xml: string) {
  const root = documentRoot(parseXml(xml));
  const devices = findElement(root, 'devices');
  return devices ? childElements(devices).map((d) => d.name) : [];
}

function macsOf(xml: string): string[] {
  return findElements(documentRoot(parseXml(xml)), 'devices/interface/mac').map(
    (m) => getAttribute(m, 'address') ?? '',
  );
}

function diskPaths(xml: string): Record<string, string | undefined> {
  return Object.fromEntries(
    findElements(documentRoot(parseXml(xml)), 'devices/disk').map((d) => {
      const view = readDisk(d);
      return [view.target.dev, view.source?.file];
    }),
  );
}

describe('clone of a shut-off VM', () => {
  it('copies two qcow2 disks (one into another pool) with new identity and equal contents', async () => {
    const g = await defineGuest(
      app,
      'vd-clone-src',
      [
        { target: 'vda', pool: poolA, format: 'qcow2', pattern: 0xab },
        { target: 'vdb', pool: poolA, format: 'qcow2', pattern: 0xcd },
      ],
      cleanups,
      { vncPort: 5977 },
    );
    const sourceXmlBefore = await virsh(['dumpxml', g.name, '--inactive']);
    const plan = await app.ok<ClonePlan>('vm:clonePlan', g.target);
    expect(plan).toMatchObject({
      name: g.name,
      suggestedName: `${g.name}-clone`,
      state: 'shutoff',
      pauseWhileCopying: false,
      nvram: null,
    });
    expect(
      plan.disks.map((d) => [d.target, d.cloneable, d.defaultAction, d.format, d.pool]),
    ).toEqual([
      ['vda', true, 'clone', 'qcow2', poolA.name],
      ['vdb', true, 'clone', 'qcow2', poolA.name],
    ]);
    expect(plan.disks[0]?.suggestedVolume).toBe(`${g.name}-clone-vda.qcow2`);
    expect(plan.pools.map((p) => p.name)).toEqual(expect.arrayContaining([poolA.name, poolB.name]));

    const name = `${g.name}-copy`;
    const jobId = randomUUID();
    const since = performance.now();
    const result = await app.ok<CloneResult>('vm:clone', {
      ...g.target,
      name,
      jobId,
      disks: [{ target: 'vdb', action: 'clone', pool: poolB.name }],
    });
    cleanups.push(() => removeDomain(name));
    expect(result.name).toBe(name);
    expect(result.uuid).not.toBe(g.uuid);
    expect(result.disks.map((d) => [d.target, d.action, d.pool, d.volume])).toEqual([
      ['vda', 'clone', poolA.name, `${name}-vda.qcow2`],
      ['vdb', 'clone', poolB.name, `${name}-vdb.qcow2`],
    ]);
    // Progress reached the end and said it was done.
    const progress = app.events
      .filter((e) => e.at >= since && e.event.name === 'clone:progress')
      .map((e) => e.event.payload as CloneProgress)
      .filter((p) => p.jobId === jobId);
    expect(progress.map((p) => p.phase)).toContain('copying');
    expect(progress.at(-1)).toMatchObject({ phase: 'done' });
    expect(progress.some((p) => p.total > 0 && p.bytes >= p.total)).toBe(true);

    const cloneXml = await virsh(['dumpxml', name, '--inactive']);
    const root = documentRoot(parseXml(cloneXml));
    expect(findText(root, 'uuid')).toBe(result.uuid);
    expect(findText(root, 'uuid')).not.toBe(g.uuid);
    const sourceMacs = macsOf(sourceXmlBefore);
    const cloneMacs = macsOf(cloneXml);
    expect(cloneMacs).toEqual(result.macs);
    expect(cloneMacs).toHaveLength(2);
    expect(new Set(cloneMacs).size).toBe(2);
    for (const mac of cloneMacs) {
      expect(mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
      expect(sourceMacs).not.toContain(mac);
    }
    expect(deviceSummary(cloneXml)).toEqual(deviceSummary(sourceXmlBefore));
    const graphics = findElement(root, 'devices/graphics');
    expect(graphics && getAttribute(graphics, 'autoport')).toBe('yes');
    // libvirt writes an automatic port as -1 in the definition.
    expect([undefined, '-1']).toContain(graphics && getAttribute(graphics, 'port'));
    const paths = diskPaths(cloneXml);
    expect(paths).toEqual({
      vda: `${poolA.dir}/${name}-vda.qcow2`,
      vdb: `${poolB.dir}/${name}-vdb.qcow2`,
    });

    // Same bytes, and the pattern really is there (not two empty disks compared).
    const [srcA, srcB] = g.disks;
    expect(await sameContents(srcA!.path, paths.vda!)).toBe(true);
    expect(await sameContents(srcB!.path, paths.vdb!)).toBe(true);
    expect(await hasPattern(paths.vda!, 'qcow2', 0xab)).toBe(true);
    expect(await hasPattern(paths.vdb!, 'qcow2', 0xcd)).toBe(true);
    expect(await hasPattern(paths.vdb!, 'qcow2', 0xab)).toBe(false);

    // The source is exactly as before.
    expect(await virsh(['dumpxml', g.name, '--inactive'])).toBe(sourceXmlBefore);
    expect((await virsh(['domstate', g.name])).trim()).toBe('shut off');
    // The clone starts (its disks and NICs are its own).
    await virsh(['start', name]);
    expect((await virsh(['domstate', name])).trim()).toBe('running');
  }, 180_000);

  it('shares and skips disks as asked', async () => {
    const g = await defineGuest(
      app,
      'vd-clone-share',
      [
        { target: 'vda', pool: poolA, format: 'qcow2' },
        { target: 'vdb', pool: poolA, format: 'raw' },
      ],
      cleanups,
    );
    const name = `${g.name}-c`;
    const result = await app.ok<CloneResult>('vm:clone', {
      ...g.target,
      name,
      jobId: randomUUID(),
      disks: [
        { target: 'vda', action: 'share' },
        { target: 'vdb', action: 'skip' },
      ],
    });
    cleanups.push(() => removeDomain(name));
    expect(result.disks.map((d) => [d.target, d.action, d.path])).toEqual([
      ['vda', 'share', g.disks[0]!.path],
      ['vdb', 'skip', null],
    ]);
    expect(diskPaths(await virsh(['dumpxml', name, '--inactive']))).toEqual({
      vda: g.disks[0]!.path,
    });
  }, 120_000);

  it('refuses a name that is taken, before anything is made', async () => {
    const g = await defineGuest(
      app,
      'vd-clone-dup',
      [{ target: 'vda', pool: poolA, format: 'qcow2' }],
      cleanups,
    );
    const other = await defineGuest(app, 'vd-clone-other', [], cleanups);
    const volumesBefore = await poolVolumes(poolA.name);
    const domainsBefore = await domainNames();
    const error = await app.fails('vm:clone', {
      ...g.target,
      name: other.name,
      jobId: randomUUID(),
    });
    expect(error).toMatchObject({ kind: 'validation', path: 'name' });
    expect(error.message).toContain(`A VM named ${other.name} exists already`);
    expect(await poolVolumes(poolA.name)).toEqual(volumesBefore);
    expect(await domainNames()).toEqual(domainsBefore);
  }, 120_000);

  it('refuses when the target pool lacks the space, before anything is made', async () => {
    // A sparse raw volume of 10 TiB: a raw copy is counted at its full size.
    const g = await defineGuest(
      app,
      'vd-clone-big',
      [{ target: 'vda', pool: poolA, format: 'raw', size: '10T' }],
      cleanups,
    );
    const plan = await app.ok<ClonePlan>('vm:clonePlan', g.target);
    const free = plan.pools.find((p) => p.name === poolB.name)?.available ?? 0;
    expect(plan.disks[0]?.capacity).toBe(10 * 1024 ** 4);
    expect(plan.disks[0]!.capacity!).toBeGreaterThan(free);
    const volumesBefore = [await poolVolumes(poolA.name), await poolVolumes(poolB.name)];
    const domainsBefore = await domainNames();
    const error = await app.fails('vm:clone', {
      ...g.target,
      name: `${g.name}-c`,
      jobId: randomUUID(),
      disks: [{ target: 'vda', action: 'clone', pool: poolB.name }],
    });
    expect(error.kind).toBe('validation');
    expect(error.message).toMatch(
      new RegExp(`Not enough space in the storage pool ${poolB.name}: the copies need 10 TiB`),
    );
    expect([await poolVolumes(poolA.name), await poolVolumes(poolB.name)]).toEqual(volumesBefore);
    expect(await domainNames()).toEqual(domainsBefore);
  }, 120_000);

  it('removes everything it made when a copy fails midway', async () => {
    const g = await defineGuest(
      app,
      'vd-clone-fail',
      [
        { target: 'vda', pool: poolA, format: 'qcow2', pattern: 0x11 },
        { target: 'vdb', pool: poolA, format: 'qcow2' },
      ],
      cleanups,
    );
    const name = `${g.name}-c`;
    // A file the pool has not scanned yet takes the second copy's name: the plan cannot see
    // it, the first copy succeeds, and libvirt refuses to overwrite it for the second.
    const volumesBefore = await poolVolumes(poolB.name);
    const sourceXml = await virsh(['dumpxml', g.name, '--inactive']);
    const blocker = `${poolB.dir}/${name}-vdb.qcow2`;
    await writeFile(blocker, 'not a disk image');
    const domainsBefore = await domainNames();
    const error = await app.fails('vm:clone', {
      ...g.target,
      name,
      jobId: randomUUID(),
      disks: [
        { target: 'vda', action: 'clone', pool: poolB.name },
        { target: 'vdb', action: 'clone', pool: poolB.name },
      ],
    });
    expect(error.message).toContain(`Failed to clone ${g.name} as ${name}`);
    expect(error.message).toMatch(/already exists/);
    // Only the stray file is there: the first copy was deleted again, nothing was defined.
    expect(await poolVolumes(poolB.name)).toEqual([...volumesBefore, `${name}-vdb.qcow2`].sort());
    expect(await domainNames()).toEqual(domainsBefore);
    expect(await virsh(['dumpxml', g.name, '--inactive'])).toBe(sourceXml);
  }, 120_000);
});
