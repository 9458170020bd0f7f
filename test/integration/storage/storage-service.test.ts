import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoolSummary, VolumeSummary } from '../../../shared/contract/storage';
import { runVirsh } from '../../harness/run-virsh';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import {
  harness,
  removeDomain,
  startVmApp,
  testName,
  virsh,
  virshDefine,
  type VmApp,
} from '../vms/vm-test-support';

const MiB = 1024 * 1024;
let app: VmApp;
const pools: string[] = [];

async function virshPoolNames(): Promise<string[]> {
  const out = await virsh(['pool-list', '--all', '--name']);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** `virsh pool-info` as a map of its "Key: value" lines. */
async function poolInfo(name: string): Promise<Map<string, string>> {
  const out = await virsh(['pool-info', name]);
  return new Map(
    out
      .split('\n')
      .map((l) => /^([^:]+):\s*(.*)$/.exec(l))
      .flatMap((m) => (m?.[1] && m[2] !== undefined ? [[m[1].trim(), m[2].trim()] as const] : [])),
  );
}

beforeAll(async () => {
  app = await startVmApp({ alias: 'storage-host' });
}, 60_000);

afterAll(async () => {
  for (const name of pools) {
    await runVirsh(harness().qemuUri, ['pool-destroy', name]);
    await runVirsh(harness().qemuUri, ['pool-delete', name]);
    await runVirsh(harness().qemuUri, ['pool-undefine', name]);
  }
  await app?.stop();
});

function newPool(): { name: string; targetPath: string } {
  const name = testName('vd-pool').name;
  pools.push(name);
  return { name, targetPath: path.join(harness().dir, name) };
}

describe('directory pools through the storage handlers', () => {
  it('defines, builds, starts, autostarts, refreshes, stops and deletes a dir pool', async () => {
    const { name, targetPath } = newPool();
    const since = performance.now();
    const pool = await app.ok<PoolSummary>('pool:define', {
      connectionId: app.connectionId,
      name,
      type: 'dir',
      targetPath,
    });
    expect(pool).toMatchObject({ name, type: 'dir', state: 'running', targetPath });
    expect(pool.canCreateVolumes).toBe(true);
    expect(pool.capacity).toBeGreaterThan(0);
    expect(existsSync(targetPath)).toBe(true);
    await app.waitForEvent('pool:changed', (e) => e.pool === name && e.change === 'defined', {
      since,
    });
    expect((await poolInfo(name)).get('State')).toBe('running');

    const t = { connectionId: app.connectionId, pool: name };
    await app.ok('pool:setAutostart', { ...t, autostart: true });
    expect((await poolInfo(name)).get('Autostart')).toBe('yes');
    const listed = await app.ok<PoolSummary[]>('pool:list', { connectionId: app.connectionId });
    expect(listed.find((p) => p.name === name)).toMatchObject({
      autostart: true,
      persistent: true,
    });

    // A file copied in behind libvirt's back appears after a refresh.
    await writeFile(path.join(targetPath, 'dropped.img'), Buffer.alloc(4096));
    await app.ok('pool:refresh', t);
    const vols = await app.ok<VolumeSummary[]>('vol:list', t);
    expect(vols.map((v) => v.name)).toContain('dropped.img');

    // Deleting is separate from stopping: a running pool is refused and stays.
    const refusal = await app.fails('pool:delete', { ...t, withVolumes: true });
    expect(refusal.message).toMatch(/running: stop it/);
    expect(await virshPoolNames()).toContain(name);

    await app.ok('pool:stop', t);
    expect((await poolInfo(name)).get('State')).toBe('inactive');
    await app.ok('pool:delete', { ...t, withVolumes: true });
    expect(await virshPoolNames()).not.toContain(name);
    expect(existsSync(targetPath)).toBe(false);
  }, 60_000);

  it('refuses bad pool input with clear messages and creates nothing', async () => {
    const before = await virshPoolNames();
    const base = { connectionId: app.connectionId, type: 'dir' };
    const badName = await app.fails('pool:define', {
      ...base,
      name: 'has/slash',
      targetPath: '/tmp/x',
    });
    expect(badName).toMatchObject({ kind: 'validation', path: 'name' });
    const relative = await app.fails('pool:define', {
      ...base,
      name: 'vd-rel',
      targetPath: 'relative/dir',
    });
    expect(relative.message).toMatch(/absolute path/);
    const fsType = await app.fails('pool:define', {
      ...base,
      type: 'fs',
      name: 'vd-fs',
      targetPath: '/tmp/x',
    });
    expect(fsType.kind).toBe('validation');

    // The build step fails (the parent is a file): the definition is undone.
    const { name } = newPool();
    const file = path.join(harness().dir, `${name}-file`);
    await writeFile(file, 'not a folder');
    const failed = await app.fails('pool:define', {
      ...base,
      name,
      targetPath: path.join(file, 'sub'),
    });
    expect(failed.kind).toBe('libvirt');
    expect(failed.message).toContain(`pool ${name}`);
    expect(await virshPoolNames()).toEqual(before);
  }, 60_000);
});

describe('volumes through the storage handlers', () => {
  let t: { connectionId: string; pool: string };
  beforeAll(async () => {
    const { name, targetPath } = newPool();
    await app.ok('pool:define', { connectionId: app.connectionId, name, type: 'dir', targetPath });
    t = { connectionId: app.connectionId, pool: name };
  }, 60_000);

  it('creates, resizes, wipes, clones and deletes volumes with explicit units', async () => {
    const raw = await app.ok<VolumeSummary>('vol:create', {
      ...t,
      name: 'disk.raw',
      format: 'raw',
      capacity: { value: 2, unit: 'MiB' },
    });
    expect(raw).toMatchObject({ name: 'disk.raw', format: 'raw', capacity: 2 * MiB, usedBy: [] });
    const volInfo = await virsh(['vol-info', '--bytes', '--pool', t.pool, 'disk.raw']);
    expect(volInfo).toMatch(new RegExp(`Capacity:\\s+${2 * MiB} bytes`));

    const pre = await app.ok<VolumeSummary>('vol:create', {
      ...t,
      name: 'full.raw',
      format: 'raw',
      capacity: { value: 1, unit: 'MiB' },
      preallocate: true,
    });
    expect(pre.allocation).toBeGreaterThanOrEqual(MiB);

    const overlay = await app.ok<VolumeSummary>('vol:create', {
      ...t,
      name: 'overlay.qcow2',
      format: 'qcow2',
      capacity: { value: 2, unit: 'MiB' },
      backingVolume: 'disk.raw',
    });
    expect(overlay.format).toBe('qcow2');
    const overlayXml = await virsh(['vol-dumpxml', '--pool', t.pool, 'overlay.qcow2']);
    expect(overlayXml).toContain(`<path>${raw.path}</path>`);

    await app.ok('vol:resize', { ...t, volume: 'disk.raw', capacity: { value: 4, unit: 'MiB' } });
    const shrink = await app.fails('vol:resize', {
      ...t,
      volume: 'disk.raw',
      capacity: { value: 1, unit: 'MiB' },
    });
    expect(shrink.message).toMatch(/loses data/);
    await app.ok('vol:wipe', { ...t, volume: 'disk.raw' });
    const clone = await app.ok<VolumeSummary>('vol:clone', {
      ...t,
      volume: 'disk.raw',
      newName: 'copy.raw',
    });
    expect(clone.capacity).toBe(4 * MiB);

    for (const volume of ['overlay.qcow2', 'copy.raw', 'full.raw', 'disk.raw']) {
      await app.ok('vol:delete', { ...t, volume });
    }
    const left = await app.ok<VolumeSummary[]>('vol:list', t);
    expect(left).toEqual([]);
  }, 60_000);

  it('refuses unitless, zero and oversize capacities and a backing volume for raw', async () => {
    const unitless = await app.fails('vol:create', {
      ...t,
      name: 'a',
      format: 'raw',
      capacity: 20,
    });
    expect(unitless.kind).toBe('validation');
    const zero = await app.fails('vol:create', {
      ...t,
      name: 'a',
      format: 'raw',
      capacity: { value: 0, unit: 'GiB' },
    });
    expect(zero.kind).toBe('validation');
    const huge = await app.fails('vol:create', {
      ...t,
      name: 'a',
      format: 'raw',
      capacity: { value: 1000, unit: 'TiB' },
      preallocate: true,
    });
    expect(huge.message).toMatch(/larger than the \d+ bytes free/);
    const rawBacking = await app.fails('vol:create', {
      ...t,
      name: 'a',
      format: 'raw',
      capacity: { value: 1, unit: 'MiB' },
      backingVolume: 'x',
    });
    expect(rawBacking.message).toMatch(/Only qcow2/);
    const missing = await app.fails('vol:delete', { ...t, volume: 'nope' });
    expect(missing.message).toMatch(/has no volume nope/);
    expect(await app.ok<VolumeSummary[]>('vol:list', t)).toEqual([]);
  }, 60_000);

  it('refuses to delete a volume a running VM uses, naming the VM', async () => {
    const vol = await app.ok<VolumeSummary>('vol:create', {
      ...t,
      name: 'busy.qcow2',
      format: 'qcow2',
      capacity: { value: 8, unit: 'MiB' },
    });
    const g = testName('vd-voluser');
    const xml = firmwareVncGuestXml({ ...g, memoryMiB: 64 }).replace(
      '</devices>',
      `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${vol.path}'/><target dev='vdb' bus='virtio'/></disk></devices>`,
    );
    await virshDefine(xml);
    try {
      const listed = await app.ok<VolumeSummary[]>('vol:list', t);
      expect(listed.find((v) => v.name === 'busy.qcow2')?.usedBy).toEqual([g.name]);
      await virsh(['start', g.name]);
      const refused = await app.fails('vol:delete', { ...t, volume: 'busy.qcow2' });
      expect(refused.message).toBe(
        `Volume busy.qcow2 is in use by running VM ${g.name}; shut it down first`,
      );
      expect((await app.ok<VolumeSummary[]>('vol:list', t)).map((v) => v.name)).toContain(
        'busy.qcow2',
      );
      await virsh(['destroy', g.name]);
      // Shut off, the VM no longer blocks the delete (virt-manager warns; we follow the guides).
      await app.ok('vol:delete', { ...t, volume: 'busy.qcow2' });
    } finally {
      await removeDomain(g.name);
    }
  }, 90_000);
});
