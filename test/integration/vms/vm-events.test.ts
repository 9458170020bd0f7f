import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap } from '../../../shared/contract/events';
import type { VmList } from '../../../shared/contract/vms';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import {
  removeDomain,
  startVmApp,
  testName,
  virsh,
  virshDefine,
  type VmApp,
} from './vm-test-support';

/**
 * Changes made with virsh on the side — another client of the same daemon — reach the
 * service's list and its pushed events from libvirt's events alone (nothing is polled).
 */
let app: VmApp;
const guest = testName('vd-evt');
const latencies: Array<{ step: string; ms: number; fromStart: number }> = [];

beforeAll(async () => {
  app = await startVmApp();
});
afterAll(async () => {
  await removeDomain(guest.name);
  await app.stop();
  process.stdout.write(
    `[vm-events] virsh returned → event pushed: ${latencies
      .map((l) => `${l.step} ${l.ms.toFixed(1)} ms (${l.fromStart.toFixed(0)} ms from virsh start)`)
      .join(', ')}\n`,
  );
});

// "Within a second" is the requirement: asserted as is (measured values are printed).
const BOUND_MS = 1000;

type ListEvent = 'vm:added' | 'vm:changed' | 'vm:removed';

/** Runs the side change, then waits for the event it must cause; latency from its end. */
async function sideChange<E extends ListEvent>(
  step: string,
  change: () => Promise<unknown>,
  name: E,
  match: (payload: EventMap[E]) => boolean,
): Promise<number> {
  const since = performance.now();
  await change();
  const done = performance.now();
  const { at } = await app.waitForEvent(name, match, { since, timeoutMs: 10_000 });
  // The event may beat virsh's own exit: that counts as no delay at all.
  const ms = Math.max(0, at - done);
  latencies.push({ step, ms, fromStart: at - since });
  return ms;
}

describe('the VM list follows libvirt events', () => {
  it('sees a define, start, suspend, resume, destroy, title edit and undefine done with virsh', async () => {
    const { uuid, name } = guest;
    const toState = (state: string) => (p: EventMap['vm:changed']) =>
      p.uuid === uuid && p.patch.state === state;
    const ms: number[] = [];

    ms.push(
      await sideChange(
        'define',
        () => virshDefine(firmwareVncGuestXml({ name, uuid, memoryMiB: 32 })),
        'vm:added',
        (vm) => vm.uuid === uuid,
      ),
    );
    expect(app.vm(uuid)).toMatchObject({
      name,
      state: 'shutoff',
      persistent: true,
      graphics: ['vnc'],
      firmware: 'bios',
      vcpus: 1,
      memoryKiB: 32 * 1024,
    });

    ms.push(
      await sideChange('start', () => virsh(['start', name]), 'vm:changed', toState('running')),
    );
    expect(app.vm(uuid)).toMatchObject({ state: 'running', stateReason: 'booted' });
    expect(app.vm(uuid)?.id).toEqual(expect.any(Number));

    ms.push(
      await sideChange('suspend', () => virsh(['suspend', name]), 'vm:changed', toState('paused')),
    );
    expect(app.vm(uuid)).toMatchObject({ state: 'paused', stateReason: 'user' });
    ms.push(
      await sideChange('resume', () => virsh(['resume', name]), 'vm:changed', toState('running')),
    );

    ms.push(
      await sideChange('destroy', () => virsh(['destroy', name]), 'vm:changed', toState('shutoff')),
    );
    expect(app.vm(uuid)).toMatchObject({ state: 'shutoff', stateReason: 'destroyed', id: null });

    ms.push(
      await sideChange(
        'title',
        () => virsh(['desc', name, '--config', '--title', 'Edited on the side']),
        'vm:changed',
        (p) => p.uuid === uuid && p.patch.title === 'Edited on the side',
      ),
    );

    ms.push(
      await sideChange(
        'undefine',
        () => virsh(['undefine', name]),
        'vm:removed',
        (p) => p.uuid === uuid && p.name === name,
      ),
    );
    expect(app.vm(uuid)).toBeUndefined();
    const list = await app.ok<VmList>('vm:list', {});
    expect(list.vms.some((v) => v.uuid === uuid)).toBe(false);

    for (const latency of ms) expect(latency).toBeLessThan(BOUND_MS);
  });

  it('lists a transient VM while it runs and drops it when it stops', async () => {
    const transient = testName('vd-trans');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vd-trans-'));
    const file = path.join(dir, 'transient.xml');
    await writeFile(file, firmwareVncGuestXml({ ...transient, memoryMiB: 32 }));
    try {
      const since = performance.now();
      await virsh(['create', file]);
      await app.waitForEvent('vm:added', (vm) => vm.uuid === transient.uuid, { since });
      expect(app.vm(transient.uuid)).toMatchObject({ persistent: false, state: 'running' });
      await virsh(['destroy', transient.name]);
      await app.waitForEvent('vm:removed', (p) => p.uuid === transient.uuid, { since });
      expect(app.vm(transient.uuid)).toBeUndefined();
    } finally {
      await removeDomain(transient.name);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('drops the host’s rows on disconnect and reads them again on connect', async () => {
    const kept = testName('vd-keep');
    await virshDefine(firmwareVncGuestXml({ ...kept, memoryMiB: 32 }));
    try {
      await app.waitForEvent('vm:added', (vm) => vm.uuid === kept.uuid);
      const since = performance.now();
      await app.ok('connection:disconnect', { id: app.connectionId });
      const gone = await app.waitForEvent(
        'vm:listReset',
        (l) => l.connectionId === app.connectionId && l.status === 'disconnected',
        { since },
      );
      expect(gone.payload.vms).toEqual([]);
      expect((await app.ok<VmList>('vm:list', {})).hosts).toEqual([
        { connectionId: app.connectionId, alias: app.alias, status: 'disconnected' },
      ]);
      // An action now says which host is not there.
      const error = await app.fails('vm:start', {
        connectionId: app.connectionId,
        uuid: kept.uuid,
      });
      expect(error).toMatchObject({
        kind: 'transport',
        message: expect.stringContaining('host1 is not connected'),
      });

      await app.ok('connection:connect', { id: app.connectionId });
      const back = await app.waitForEvent(
        'vm:listReset',
        (l) => l.connectionId === app.connectionId && l.status === 'ready',
        { since },
      );
      // The 'loading' list came first and already had the row (identity and state).
      const loading = await app.waitForEvent(
        'vm:listReset',
        (l) => l.connectionId === app.connectionId && l.status === 'loading',
        { since },
      );
      expect(loading.at).toBeLessThanOrEqual(back.at);
      const provisional = loading.payload.vms.find((v) => v.uuid === kept.uuid);
      expect(provisional).toMatchObject({ name: kept.name, state: 'shutoff', graphics: [] });
      // 'ready' does not send the list again: only what the XML added to those rows.
      const update = back.payload.update;
      expect(update).toBeDefined();
      expect(back.payload.vms).toEqual([]);
      expect(update?.removed).not.toContain(kept.uuid);
      const filled = update?.changed.find((c) => c.uuid === kept.uuid)?.patch;
      expect(filled).toMatchObject({ graphics: ['vnc'] });
      // The rows plus the update are the list as the host has it now.
      const listed = (await app.ok<VmList>('vm:list', {})).vms.find((v) => v.uuid === kept.uuid);
      expect({ ...provisional, ...filled }).toEqual(listed);
    } finally {
      await removeDomain(kept.name);
    }
  });
});
