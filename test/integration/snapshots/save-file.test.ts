import { statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { SavedFileInfo } from '../../../shared/contract/snapshots';
import type { VmRef } from '../../../shared/contract/vms';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import {
  harness,
  removeDomain,
  testName,
  virsh,
  virshDefine,
  type VmApp,
} from '../vms/vm-test-support';
import { domstate, withSnapshotHost, type DirPool } from './snapshot-test-support';

/** Save to a file of the user's choosing and restore from it (virDomainSave/Restore). */
let app: VmApp;
let pool: DirPool;
const cleanups = withSnapshotHost('save-host', (host) => {
  ({ app, pool } = host);
});

async function runningGuest(
  prefix: string,
): Promise<{ name: string; uuid: string; target: { connectionId: string; uuid: string } }> {
  const g = testName(prefix);
  const since = performance.now();
  await virshDefine(firmwareVncGuestXml({ ...g, memoryMiB: 32 }));
  cleanups.push(() => removeDomain(g.name));
  await app.waitForEvent('vm:added', (vm) => vm.uuid === g.uuid, { since });
  const target = { connectionId: app.connectionId, uuid: g.uuid };
  await app.ok('vm:start', target);
  return { ...g, target };
}

describe('save to a file and restore from it', () => {
  it('saves a running VM into a pool folder (size known), then restores it running', async () => {
    const g = await runningGuest('vd-savefile');
    const file = `${pool.dir}/${g.name}.save`;
    const saved = await app.ok<SavedFileInfo>('vm:saveToFile', { ...g.target, path: file });
    expect(await domstate(g.name)).toBe('shut off');
    // The file on the host, its size as the pool's volume reports it (and as stat sees it).
    expect(saved).toMatchObject({
      connectionId: app.connectionId,
      path: file,
      pool: pool.name,
      volume: `${g.name}.save`,
      vm: { name: g.name, uuid: g.uuid },
    });
    expect(saved.sizeBytes).toBe(statSync(file).size);
    // QEMU skips the guest's zero pages: far below its 32 MiB, but never empty.
    expect(saved.sizeBytes).toBeGreaterThan(64 * 1024);
    // Not a managed save: a plain start would boot afresh.
    expect(await virsh(['dominfo', g.name])).toMatch(/Managed save:\s+no/);

    const info = await app.ok<SavedFileInfo>('vm:savedFileInfo', {
      connectionId: app.connectionId,
      path: file,
    });
    expect(info).toEqual(saved);

    const since = performance.now();
    const ref = await app.ok<VmRef>('vm:restoreFromFile', {
      connectionId: app.connectionId,
      path: file,
    });
    expect(ref).toEqual({ connectionId: app.connectionId, uuid: g.uuid, name: g.name });
    expect(await domstate(g.name)).toBe('running');
    await app.waitForEvent(
      'vm:changed',
      (p) => p.uuid === g.uuid && p.patch.state === 'running' && p.patch.stateReason === 'restored',
      { since },
    );
  });

  it('restores paused when asked; a file outside any pool has an unknown size', async () => {
    const g = await runningGuest('vd-savefile-np');
    const file = `${harness().dir}/${g.name}.save`;
    cleanups.push(() => rm(file, { force: true }));
    const saved = await app.ok<SavedFileInfo>('vm:saveToFile', { ...g.target, path: file });
    expect(saved).toMatchObject({ path: file, sizeBytes: null, pool: null, volume: null });
    await app.ok('vm:restoreFromFile', {
      connectionId: app.connectionId,
      path: file,
      after: 'paused',
    });
    expect(await domstate(g.name)).toBe('paused');
  });

  it("keeps libvirt's error for a bad path and changes nothing", async () => {
    const g = await runningGuest('vd-savefile-bad');
    const bad = await app.fails('vm:saveToFile', {
      ...g.target,
      path: `${harness().dir}/no-such-folder/x.save`,
    });
    expect(bad.kind).toBe('libvirt');
    expect(bad.code).toBeGreaterThan(0);
    expect(bad.message).toContain('no-such-folder');
    expect(await domstate(g.name)).toBe('running');

    const missing = await app.fails('vm:restoreFromFile', {
      connectionId: app.connectionId,
      path: `${harness().dir}/missing.save`,
    });
    expect(missing.kind).toBe('libvirt');
    expect(missing.message).toContain('missing.save');
  });
});
