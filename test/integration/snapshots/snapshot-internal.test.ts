import { describe, expect, it } from 'vitest';
import type {
  SnapshotCapabilities,
  SnapshotNode,
  SnapshotThumbnail,
  SnapshotTree,
} from '../../../shared/contract/snapshots';
import { virsh, type VmApp } from '../vms/vm-test-support';
import {
  type DirPool,
  domstate,
  flatten,
  guestWithDisk,
  treeParents,
  virshCurrent,
  virshSnapshotNames,
  virshTreeParents,
  withSnapshotHost,
} from './snapshot-test-support';

/** Internal snapshots of a qcow2 VM through the handler table, checked with virsh. */
let app: VmApp;
let pool: DirPool;
const cleanups = withSnapshotHost('snap-host', (host) => {
  ({ app, pool } = host);
});

async function tree(target: { connectionId: string; uuid: string }): Promise<SnapshotTree> {
  return app.ok<SnapshotTree>('snapshot:list', target);
}

async function expectTreeMatchesVirsh(name: string, t: SnapshotTree): Promise<void> {
  expect(treeParents(t)).toEqual(await virshTreeParents(name));
  expect(t.current).toBe(await virshCurrent(name));
  expect(t.count).toBe((await virshSnapshotNames(name)).length);
}

describe('internal snapshots of a qcow2 VM', () => {
  it('creates, lists as a tree, edits, reverts and deletes, as virsh sees it', async () => {
    const g = await guestWithDisk(app, pool, 'vd-snap-int', { format: 'qcow2' }, cleanups);
    const caps = await app.ok<SnapshotCapabilities>('snapshot:capabilities', g.target);
    expect(caps).toMatchObject({
      active: false,
      firmware: 'bios',
      internal: { allowed: true },
      external: { allowed: true },
      memory: { allowed: false, code: 'not-running' },
      defaultMode: 'internal',
      disks: [{ target: 'vda', format: 'qcow2', path: g.disk, included: true }],
    });
    // This machine's libvirt is 9.0: older than 9.9, so external reverts are refused up front.
    expect(caps.libvirtVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(caps.revertExternal.allowed).toBe(
      caps.libvirtVersion.localeCompare('9.9.0', undefined, { numeric: true }) >= 0,
    );

    // s1: shut off, internal (the default for a qcow2-only VM).
    let since = performance.now();
    const s1 = await app.ok<SnapshotNode>('snapshot:create', {
      ...g.target,
      name: 's1',
      description: 'fresh disk',
    });
    expect(s1).toMatchObject({
      name: 's1',
      description: 'fresh disk',
      state: 'shutoff',
      hasMemory: false,
      diskOnly: false,
      location: 'internal',
      parent: null,
      current: true,
      hasThumbnail: false,
    });
    expect(s1.creationTime).toBeGreaterThan(Date.now() / 1000 - 600);
    await app.waitForEvent(
      'snapshot:changed',
      (e) => e.uuid === g.uuid && e.change === 'created' && e.name === 's1',
      { since },
    );

    // s2: running, with memory (internal snapshots of a running VM always have it), and a
    // thumbnail from the VGA screen.
    await app.ok('vm:start', g.target);
    expect(await domstate(g.name)).toBe('running');
    const s2 = await app.ok<SnapshotNode>('snapshot:create', { ...g.target, name: 's2' });
    expect(s2).toMatchObject({
      state: 'running',
      hasMemory: true,
      location: 'internal',
      parent: 's1',
      current: true,
      hasThumbnail: true,
    });
    const thumb = await app.ok<SnapshotThumbnail | null>('snapshot:thumbnail', {
      ...g.target,
      name: 's2',
    });
    expect(thumb?.mime).toBe('image/png');
    expect(
      Buffer.from(thumb?.dataBase64 ?? '', 'base64')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const s3 = await app.ok<SnapshotNode>('snapshot:create', {
      ...g.target,
      name: 's3',
      thumbnail: false,
    });
    expect(s3).toMatchObject({ parent: 's2', hasThumbnail: false, hasMemory: true });

    let t = await tree(g.target);
    expect(t.roots.map((n) => n.name)).toEqual(['s1']);
    expect(t.roots[0]?.children.map((n) => n.name)).toEqual(['s2']);
    expect(t.current).toBe('s3');
    await expectTreeMatchesVirsh(g.name, t);
    expect(await virshSnapshotNames(g.name, '--internal')).toEqual(['s1', 's2', 's3']);
    expect(await virshSnapshotNames(g.name, '--inactive')).toEqual(['s1']);

    // A duplicate name: libvirt's refusal, with its code, and nothing changed.
    const dup = await app.fails('snapshot:create', { ...g.target, name: 's2' });
    expect(dup.kind).toBe('libvirt');
    expect(dup.code).toBeGreaterThan(0);
    expect(dup.message).toContain('s2');
    expect(await virshSnapshotNames(g.name)).toEqual(['s1', 's2', 's3']);
    // A disk-only internal snapshot of a running VM is not a thing libvirt does: refused first.
    const noMem = await app.fails('snapshot:create', {
      ...g.target,
      name: 's4',
      mode: 'internal',
      memory: false,
    });
    expect(noMem).toMatchObject({ kind: 'validation', path: 'memory' });

    // Edit a description (REDEFINE): the text changes, current and the tree do not.
    since = performance.now();
    const edited = await app.ok<SnapshotNode>('snapshot:describe', {
      ...g.target,
      name: 's2',
      description: 'booted <firmware> & "screen"',
    });
    expect(edited.description).toBe('booted <firmware> & "screen"');
    expect(await virsh(['snapshot-dumpxml', g.name, 's2'])).toContain(
      '<description>booted &lt;firmware&gt; &amp; &quot;screen&quot;</description>',
    );
    expect(await virshCurrent(g.name)).toBe('s3');
    await app.waitForEvent('snapshot:changed', (e) => e.change === 'updated' && e.name === 's2', {
      since,
    });

    // Revert to the shut-off one: the VM is off afterwards; then to the running one.
    since = performance.now();
    await app.ok('snapshot:revert', { ...g.target, name: 's1' });
    expect(await domstate(g.name)).toBe('shut off');
    expect(await virshCurrent(g.name)).toBe('s1');
    await app.waitForEvent('snapshot:changed', (e) => e.change === 'reverted' && e.name === 's1', {
      since,
    });
    await app.ok('snapshot:revert', { ...g.target, name: 's2' });
    expect(await domstate(g.name)).toBe('running');
    t = await tree(g.target);
    expect(flatten(t.roots).find((n) => n.current)?.name).toBe('s2');
    await expectTreeMatchesVirsh(g.name, t);

    // A revert by someone else reaches us through the from-snapshot lifecycle detail.
    since = performance.now();
    await virsh(['snapshot-revert', g.name, 's1']);
    await app.waitForEvent(
      'snapshot:changed',
      (e) => e.uuid === g.uuid && e.change === 'reverted',
      {
        since,
      },
    );

    // Delete s2 alone: its child s3 moves up to s1, s2's thumbnail goes.
    let deleted = await app.ok<{ deleted: string[] }>('snapshot:delete', {
      ...g.target,
      name: 's2',
    });
    expect(deleted.deleted).toEqual(['s2']);
    expect(await app.ok('snapshot:thumbnail', { ...g.target, name: 's2' })).toBeNull();
    t = await tree(g.target);
    expect(treeParents(t)).toEqual(
      new Map([
        ['s1', null],
        ['s3', 's1'],
      ]),
    );
    await expectTreeMatchesVirsh(g.name, t);

    // Delete s1 with its children: nothing is left.
    deleted = await app.ok<{ deleted: string[] }>('snapshot:delete', {
      ...g.target,
      name: 's1',
      children: true,
    });
    expect(deleted.deleted).toEqual(['s1', 's3']);
    expect(await virshSnapshotNames(g.name)).toEqual([]);
    expect(await tree(g.target)).toMatchObject({ roots: [], current: null, count: 0 });

    // Deleting a snapshot that is gone: libvirt's "no snapshot" error, unchanged.
    const gone = await app.fails('snapshot:delete', { ...g.target, name: 's3' });
    expect(gone).toMatchObject({ kind: 'libvirt', codeName: 'VIR_ERR_NO_DOMAIN_SNAPSHOT' });
  });

  it('refuses internal snapshots of a raw-disk VM before asking libvirt', async () => {
    const g = await guestWithDisk(app, pool, 'vd-snap-raw', { format: 'raw' }, cleanups);
    const caps = await app.ok<SnapshotCapabilities>('snapshot:capabilities', g.target);
    expect(caps.internal).toMatchObject({ allowed: false, code: 'non-qcow2-disk' });
    expect(caps.defaultMode).toBe('external');
    const refused = await app.fails('snapshot:create', {
      ...g.target,
      name: 'i1',
      mode: 'internal',
    });
    expect(refused).toMatchObject({ kind: 'validation', path: 'mode' });
    expect(refused.message).toContain('qcow2');
    expect(await virshSnapshotNames(g.name)).toEqual([]);
  });

  it('refuses internal snapshots of a UEFI (pflash) VM before asking libvirt', async () => {
    const g = await guestWithDisk(
      app,
      pool,
      'vd-snap-efi',
      { format: 'qcow2', efi: true },
      cleanups,
    );
    const caps = await app.ok<SnapshotCapabilities>('snapshot:capabilities', g.target);
    expect(caps).toMatchObject({
      firmware: 'efi',
      internal: { allowed: false, code: 'uefi-internal' },
      external: { allowed: true },
      defaultMode: 'external',
    });
    const refused = await app.fails('snapshot:create', {
      ...g.target,
      name: 'u1',
      mode: 'internal',
    });
    expect(refused).toMatchObject({ kind: 'validation', path: 'mode' });
    expect(refused.message).toMatch(/UEFI/);
    expect(await virshSnapshotNames(g.name)).toEqual([]);
  });

  it('validates input at the border', async () => {
    const target = { connectionId: app.connectionId, uuid: '00000000-0000-4000-8000-000000000000' };
    for (const name of ['', 'a/b', '.hidden', ' padded', 'x'.repeat(101), 'tab\tname']) {
      expect(await app.fails('snapshot:create', { ...target, name })).toMatchObject({
        kind: 'validation',
      });
    }
    expect(
      await app.fails('vm:saveToFile', { ...target, path: 'relative/file.save' }),
    ).toMatchObject({ kind: 'validation' });
    expect(await app.fails('vm:saveToFile', { ...target, path: '/tmp/../etc/x' })).toMatchObject({
      kind: 'validation',
    });
    // A VM that does not exist: libvirt's own error.
    expect(await app.fails('snapshot:list', target)).toMatchObject({
      kind: 'libvirt',
      codeName: 'VIR_ERR_NO_DOMAIN',
    });
  });
});
