import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type {
  SnapshotCapabilities,
  SnapshotNode,
  SnapshotTree,
} from '../../../shared/contract/snapshots';
import { virsh, type VmApp } from '../vms/vm-test-support';
import {
  type DirPool,
  domstate,
  guestWithDisk,
  treeParents,
  virshCurrent,
  virshSnapshotNames,
  virshTreeParents,
  withSnapshotHost,
} from './snapshot-test-support';

/** External snapshots of a raw-disk VM through the handler table, checked with virsh. */
let app: VmApp;
let pool: DirPool;
const cleanups = withSnapshotHost('snap-ext-host', (host) => {
  ({ app, pool } = host);
});

const atLeast = (version: string, wanted: string): boolean =>
  version.localeCompare(wanted, undefined, { numeric: true }) >= 0;

describe('external snapshots', () => {
  it('creates disk-only and memory snapshots, lists them like virsh, refuses what libvirt cannot do', async () => {
    const g = await guestWithDisk(app, pool, 'vd-snap-ext', { format: 'raw' }, cleanups);
    const caps = await app.ok<SnapshotCapabilities>('snapshot:capabilities', g.target);
    expect(caps.defaultMode).toBe('external');

    // e1: shut off, disks only; libvirt names the overlay beside the image.
    const e1 = await app.ok<SnapshotNode>('snapshot:create', { ...g.target, name: 'e1' });
    expect(e1).toMatchObject({
      name: 'e1',
      location: 'external',
      hasMemory: false,
      state: 'shutoff',
      parent: null,
      current: true,
    });
    const overlay = e1.disks.find((d) => d.target === 'vda')?.file;
    expect(overlay).toBeTruthy();
    expect(existsSync(overlay ?? '')).toBe(true);
    // The VM now writes to the overlay.
    expect(await virsh(['domblklist', g.name])).toContain(overlay ?? '');

    // The VM now runs on a qcow2 overlay, but new snapshots stay external by default.
    expect(await app.ok<SnapshotCapabilities>('snapshot:capabilities', g.target)).toMatchObject({
      externalSnapshots: 1,
      defaultMode: 'external',
      internal: { allowed: true },
    });

    // e2: running, with its memory in a file; e3: running, disks only.
    await app.ok('vm:start', g.target);
    const e2 = await app.ok<SnapshotNode>('snapshot:create', { ...g.target, name: 'e2' });
    expect(e2).toMatchObject({
      location: 'external',
      hasMemory: true,
      state: 'running',
      parent: 'e1',
      hasThumbnail: true,
    });
    expect(e2.memoryFile).toBe(`${pool.dir}/${g.name}.e2.mem`);
    expect(existsSync(e2.memoryFile ?? '')).toBe(true);
    const e3 = await app.ok<SnapshotNode>('snapshot:create', {
      ...g.target,
      name: 'e3',
      memory: false,
      description: 'disks only',
    });
    expect(e3).toMatchObject({ diskOnly: true, state: 'disk-snapshot', hasMemory: false });
    expect(await domstate(g.name)).toBe('running');

    const t = await app.ok<SnapshotTree>('snapshot:list', g.target);
    expect(treeParents(t)).toEqual(await virshTreeParents(g.name));
    expect(t.current).toBe(await virshCurrent(g.name));
    expect(await virshSnapshotNames(g.name, '--external')).toEqual(['e1', 'e2', 'e3']);
    expect(await virshSnapshotNames(g.name, '--disk-only')).toEqual(['e3']);

    // Reverting to an external snapshot: refused up front on libvirt older than 9.9.
    const after = await app.call('snapshot:revert', { ...g.target, name: 'e1' });
    if (!atLeast(caps.libvirtVersion, '9.9.0')) {
      expect(after).toMatchObject({
        ok: false,
        error: { kind: 'validation', message: expect.stringContaining('9.9') },
      });
      expect(await domstate(g.name)).toBe('running');
      expect(await virshCurrent(g.name)).toBe('e3');
    } else {
      expect(after.ok).toBe(true);
    }

    // Deleting the newest external snapshot merges its overlay back (libvirt ≥ 9.0).
    expect(caps.deleteExternal.allowed).toBe(atLeast(caps.libvirtVersion, '9.0.0'));
    const del = await app.call('snapshot:delete', { ...g.target, name: 'e3' });
    if (caps.deleteExternal.allowed) {
      expect(del).toEqual({ ok: true, value: { deleted: ['e3'] } });
      expect(await virshSnapshotNames(g.name)).toEqual(['e1', 'e2']);
      const t2 = await app.ok<SnapshotTree>('snapshot:list', g.target);
      expect(treeParents(t2)).toEqual(await virshTreeParents(g.name));
      expect(await domstate(g.name)).toBe('running');
    } else {
      expect(del.ok).toBe(false);
    }
  });

  it('refuses memory for a shut-off VM before asking libvirt', async () => {
    const g = await guestWithDisk(app, pool, 'vd-snap-off', { format: 'raw' }, cleanups);
    const refused = await app.fails('snapshot:create', { ...g.target, name: 'm', memory: true });
    expect(refused).toMatchObject({ kind: 'validation', path: 'memory' });
    expect(await virshSnapshotNames(g.name)).toEqual([]);
  });
});
