import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoolChange, PoolSummary } from '../../../shared/contract/storage';
import { runVirsh } from '../../harness/run-virsh';
import { harness, startVmApp, testName, virsh, type VmApp } from '../vms/vm-test-support';

// "Within a second" of the change made elsewhere, with room for a loaded 2-core machine.
const LIVE_MS = 1_000;
let app: VmApp;
const pools: string[] = [];

beforeAll(async () => {
  app = await startVmApp({ alias: 'pool-events' });
  await app.services.storage.whenFollowing();
}, 60_000);

afterAll(async () => {
  for (const name of pools) {
    await runVirsh(harness().qemuUri, ['pool-destroy', name]);
    await runVirsh(harness().qemuUri, ['pool-undefine', name]);
  }
  await app?.stop();
});

/** Runs virsh as "someone else" and waits for the matching 'pool:changed' from libvirt. */
async function seen(pool: string, change: PoolChange, args: string[]): Promise<number> {
  const since = performance.now();
  await virsh(args);
  const done = performance.now();
  const hit = await app.waitForEvent(
    'pool:changed',
    (e) => e.connectionId === app.connectionId && e.pool === pool && e.change === change,
    { since, timeoutMs: 10_000 },
  );
  return hit.at - done;
}

describe('pool changes made outside the app (virsh) reach the renderer as events', () => {
  it('reports define, start, refresh, stop and undefine within a second', async () => {
    const name = testName('vd-evpool').name;
    pools.push(name);
    const dir = path.join(harness().dir, name);
    await mkdir(dir);

    expect(
      await seen(name, 'defined', ['pool-define-as', name, 'dir', '--target', dir]),
    ).toBeLessThan(LIVE_MS);
    const listed = await app.ok<PoolSummary[]>('pool:list', { connectionId: app.connectionId });
    expect(listed.find((p) => p.name === name)).toMatchObject({ state: 'inactive', type: 'dir' });

    expect(await seen(name, 'started', ['pool-start', name])).toBeLessThan(LIVE_MS);
    expect(await seen(name, 'refreshed', ['pool-refresh', name])).toBeLessThan(LIVE_MS);
    expect(await seen(name, 'stopped', ['pool-destroy', name])).toBeLessThan(LIVE_MS);
    expect(await seen(name, 'undefined', ['pool-undefine', name])).toBeLessThan(LIVE_MS);
    const after = await app.ok<PoolSummary[]>('pool:list', { connectionId: app.connectionId });
    expect(after.map((p) => p.name)).not.toContain(name);
  });

  it('stops following when the host disconnects', async () => {
    const name = testName('vd-evpool').name;
    pools.push(name);
    const dir = path.join(harness().dir, name);
    await mkdir(dir);
    await app.ok('connection:disconnect', { id: app.connectionId });
    const since = performance.now();
    await virsh(['pool-define-as', name, 'dir', '--target', dir]);
    // Reconnecting subscribes again; the define made while away is not replayed by libvirt,
    // but the next change is seen.
    await app.ok('connection:connect', { id: app.connectionId });
    await app.services.storage.whenFollowing();
    expect(app.events.some((e) => e.at >= since && e.event.name === 'pool:changed')).toBe(false);
    expect(await seen(name, 'started', ['pool-start', name])).toBeLessThan(LIVE_MS);
  });
});
