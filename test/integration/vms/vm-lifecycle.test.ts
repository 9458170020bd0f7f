import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap } from '../../../shared/contract/events';
import type { VmBulkResult, VmRef, VmSummary } from '../../../shared/contract/vms';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import {
  removeDomain,
  startVmApp,
  testName,
  virsh,
  virshDefine,
  type VmApp,
} from './vm-test-support';

/** Lifecycle actions through the handler table, checked against the daemon with virsh. */
let app: VmApp;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  app = await startVmApp();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => app.stop());

/** A firmware-only guest (boots in ~1 s under TCG), defined and listed. */
async function guest(
  prefix: string,
): Promise<{ name: string; uuid: string; target: { connectionId: string; uuid: string } }> {
  const g = testName(prefix);
  const since = performance.now();
  await virshDefine(firmwareVncGuestXml({ ...g, memoryMiB: 32 }));
  cleanups.push(() => removeDomain(g.name));
  await app.waitForEvent('vm:added', (vm) => vm.uuid === g.uuid, { since });
  return { ...g, target: { connectionId: app.connectionId, uuid: g.uuid } };
}

async function domstate(name: string): Promise<string> {
  return (await virsh(['domstate', name])).trim();
}

/**
 * Runs an action; the service answers only after it has read the VM again, so the list
 * already shows the new state (and flags without an event of their own) at that point.
 */
async function act(
  channel: string,
  input: { connectionId: string; uuid: string },
  state: EventMap['vm:changed']['patch']['state'],
): Promise<VmRef> {
  const ref = await app.ok<VmRef>(channel, input);
  expect(app.vm(input.uuid)?.state).toBe(state);
  return ref;
}

describe('lifecycle actions', () => {
  it('starts, pauses, resumes and forces off, the list current when each answers', async () => {
    const g = await guest('vd-life');
    const ref = await act('vm:start', g.target, 'running');
    expect(ref).toEqual({ connectionId: app.connectionId, uuid: g.uuid, name: g.name });
    expect(await domstate(g.name)).toBe('running');

    await act('vm:pause', g.target, 'paused');
    expect(await domstate(g.name)).toBe('paused');
    await act('vm:resume', g.target, 'running');
    expect(await domstate(g.name)).toBe('running');

    // A reset and an NMI are accepted by a running guest and leave it running.
    await app.ok('vm:reset', g.target);
    await app.ok('vm:sendNmi', g.target);
    expect(await domstate(g.name)).toBe('running');

    await act('vm:forceOff', g.target, 'shutoff');
    expect(await domstate(g.name)).toBe('shut off');
    expect(app.vm(g.uuid)).toMatchObject({ stateReason: 'destroyed', id: null });
  });

  it("saves (managed save) and restores, showing 'saved' in between", async () => {
    const g = await guest('vd-save');
    await act('vm:start', g.target, 'running');
    await act('vm:save', g.target, 'saved');
    expect(app.vm(g.uuid)).toMatchObject({ state: 'saved', hasManagedSave: true, id: null });
    expect(await virsh(['dominfo', g.name])).toMatch(/Managed save:\s+yes/);

    await act('vm:restore', g.target, 'running');
    // Restored from the image, not booted afresh.
    expect(app.vm(g.uuid)).toMatchObject({ stateReason: 'restored', hasManagedSave: false });
    expect(await virsh(['dominfo', g.name])).toMatch(/Managed save:\s+no/);

    // A restore started elsewhere: libvirt's RESTORED event comes before the image is
    // deleted, and the deletion has no event; the list still ends up right, without polling.
    await act('vm:save', g.target, 'saved');
    const since = performance.now();
    await virsh(['start', g.name]);
    await app.waitForEvent('vm:changed', (p) => p.uuid === g.uuid && p.patch.state === 'running', {
      since,
    });
    if (app.vm(g.uuid)?.hasManagedSave !== false) {
      await app.waitForEvent(
        'vm:changed',
        (p) => p.uuid === g.uuid && p.patch.hasManagedSave === false,
        { since, timeoutMs: 10_000 },
      );
    }
    expect(app.vm(g.uuid)).toMatchObject({ stateReason: 'restored', hasManagedSave: false });

    // Restore of a VM without saved state is refused before libvirt is asked.
    await act('vm:forceOff', g.target, 'shutoff');
    const refused = await app.fails('vm:restore', g.target);
    expect(refused).toMatchObject({
      kind: 'validation',
      message: `${g.name} on ${app.alias} has no saved state to restore`,
    });
  });

  it('discards a saved state, then the next start boots afresh', async () => {
    const g = await guest('vd-discard');
    await act('vm:start', g.target, 'running');
    await act('vm:save', g.target, 'saved');
    // No libvirt event for this one: the service re-reads the VM after the action.
    const since = performance.now();
    await app.ok('vm:discardSavedState', g.target);
    await app.waitForEvent('vm:changed', (p) => p.uuid === g.uuid && p.patch.state === 'shutoff', {
      since,
    });
    expect(app.vm(g.uuid)).toMatchObject({ hasManagedSave: false });
    await act('vm:start', g.target, 'running');
    expect(app.vm(g.uuid)?.stateReason).toBe('booted');
  });

  it('turns autostart on and off (no libvirt event: re-read after the action)', async () => {
    const g = await guest('vd-auto');
    const since = performance.now();
    await app.ok('vm:setAutostart', { ...g.target, autostart: true });
    await app.waitForEvent('vm:changed', (p) => p.uuid === g.uuid && p.patch.autostart === true, {
      since,
    });
    expect(await virsh(['dominfo', g.name])).toMatch(/Autostart:\s+enable/);
    await app.ok('vm:setAutostart', { ...g.target, autostart: false });
    expect(await virsh(['dominfo', g.name])).toMatch(/Autostart:\s+disable/);
  });

  it("answers a refused action with libvirt's code and message, naming VM and host", async () => {
    const g = await guest('vd-refuse');
    const error = await app.fails('vm:shutdown', g.target);
    expect(error).toMatchObject({
      kind: 'libvirt',
      codeName: 'VIR_ERR_OPERATION_INVALID',
      code: 55,
      message: `Failed to shut down ${g.name} on host1: Requested operation is not valid: domain is not running`,
    });
    expect(app.vm(g.uuid)?.state).toBe('shutoff');
  });

  it('names VM and host when the VM was undefined meanwhile, and keeps the list consistent', async () => {
    const g = await guest('vd-gone');
    const since = performance.now();
    await virsh(['undefine', g.name]);
    await app.waitForEvent('vm:removed', (p) => p.uuid === g.uuid, { since });
    const error = await app.fails('vm:start', g.target);
    expect(error).toMatchObject({ kind: 'libvirt', codeName: 'VIR_ERR_NO_DOMAIN' });
    expect(error.message).toMatch(
      new RegExp(`^Failed to start ${g.name} on host1: Domain not found`),
    );
    expect(app.vm(g.uuid)).toBeUndefined();
    expect(await app.fails('vm:get', g.target)).toMatchObject({
      kind: 'validation',
      message: `${g.name} no longer exists on host1`,
    });
  });

  it('runs bulk actions per target and reports each outcome', async () => {
    const guests = [await guest('vd-bulk'), await guest('vd-bulk'), await guest('vd-bulk')];
    await act('vm:start', guests[2]!.target, 'running');
    const result = await app.ok<VmBulkResult>('vm:bulk', {
      action: 'start',
      targets: guests.map((g) => g.target),
    });
    expect(result.results.map((r) => r.ok)).toEqual([true, true, false]);
    const failed = result.results[2];
    expect(failed && !failed.ok && failed.error).toMatchObject({
      kind: 'libvirt',
      codeName: 'VIR_ERR_OPERATION_INVALID',
      message: expect.stringContaining(`Failed to start ${guests[2]!.name} on host1:`),
    });
    for (const g of guests) expect(await domstate(g.name)).toBe('running');
    const off = await app.ok<VmBulkResult>('vm:bulk', {
      action: 'forceOff',
      targets: guests.map((g) => g.target),
    });
    expect(off.results.every((r) => r.ok)).toBe(true);
  });
});

describe('tags', () => {
  it('stores tags in our metadata namespace, live and config, and reads them after a reload', async () => {
    const g = await guest('vd-tags');
    await act('vm:start', g.target, 'running');
    const since = performance.now();
    const answer = await app.ok<{ tags: string[] }>('vm:setTags', {
      ...g.target,
      tags: ['web', ' db & <cache> ', 'web'],
    });
    expect(answer).toEqual({ tags: ['db & <cache>', 'web'] });
    await app.waitForEvent('vm:changed', (p) => p.uuid === g.uuid && p.patch.tags !== undefined, {
      since,
    });
    expect(app.vm(g.uuid)?.tags).toEqual(['db & <cache>', 'web']);

    const expected =
      /<virtdeck:tags xmlns:virtdeck="https:\/\/virtdeck\.dev\/xmlns\/virtdeck\/1">\s*<virtdeck:tag>db &amp; &lt;cache&gt;<\/virtdeck:tag>\s*<virtdeck:tag>web<\/virtdeck:tag>\s*<\/virtdeck:tags>/;
    expect(await virsh(['dumpxml', g.name])).toMatch(expected);
    expect(await virsh(['dumpxml', '--inactive', g.name])).toMatch(expected);

    // A fresh main process (same saved connection) reads them from libvirt.
    const second = await startVmApp({ configDir: app.configDir, connectionId: app.connectionId });
    try {
      expect(second.vm(g.uuid)?.tags).toEqual(['db & <cache>', 'web']);
    } finally {
      await second.services.dispose();
    }

    await app.ok('vm:setTags', { ...g.target, tags: [] });
    expect(await virsh(['dumpxml', '--inactive', g.name])).not.toContain('virtdeck:tags');
  });

  it('tags a shut-off VM in its persistent definition only', async () => {
    const g = await guest('vd-tags-off');
    await app.ok('vm:setTags', { ...g.target, tags: ['cold'] });
    expect(await virsh(['dumpxml', '--inactive', g.name])).toContain(
      '<virtdeck:tag>cold</virtdeck:tag>',
    );
    await act('vm:start', g.target, 'running');
    expect((app.vm(g.uuid) as VmSummary).tags).toEqual(['cold']);
  });
});
