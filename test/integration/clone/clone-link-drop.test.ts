import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CloneProgress } from '../../../shared/contract/clone';
import type { SavedConnection } from '../../../shared/contract/connections';
import { waitFor } from '../../harness/wait-for';
import { socketQuery, startUnixRelay } from '../connections/unix-relay';
import { virsh, type VmApp } from '../vms/vm-test-support';
import {
  defineGuest,
  domainNames,
  domstate,
  poolVolumes,
  withCloneHost,
  type DirPool,
} from './clone-test-support';

/**
 * The link to the host drops in the middle of cloning a running VM, which the clone had
 * paused: the user gets a clear error at once, and when the link is back the source runs
 * again and nothing the clone made is left — without anyone asking.
 */
let app: VmApp;
let pool: DirPool;
let relay: Awaited<ReturnType<typeof startUnixRelay>>;
let relayed: string;
const cleanups = withCloneHost('clone-drop-direct', 'vd-clone-drop', (host) => {
  ({ app, pool } = host);
});

// The same host again through a relay the test can cut, as a network failure would.
beforeAll(async () => {
  relay = await startUnixRelay(inject('libvirtd').socketPath);
  const saved = await app.ok<SavedConnection>('connection:add', {
    alias: 'clone-drop-relayed',
    uri: `qemu+unix:///session?socket=${socketQuery(relay.path)}`,
  });
  await app.ok('connection:connect', { id: saved.id });
  relayed = saved.id;
}, 60_000);
afterAll(async () => {
  await relay?.stop();
});

function connectedSince(at: number): boolean {
  return app.events.some(
    (e) =>
      e.at >= at &&
      e.event.name === 'connection:state' &&
      (e.event.payload as { connectionId: string; state: { status: string } }).connectionId ===
        relayed &&
      (e.event.payload as { state: { status: string } }).state.status === 'connected',
  );
}

describe('the link drops while a running VM is cloned', () => {
  it('says so at once; once back, the source runs again and nothing of the clone is left', async () => {
    const g = await defineGuest(
      app,
      'vd-clone-drop',
      [{ target: 'vda', pool, format: 'qcow2', pattern: 0x44 }],
      cleanups,
    );
    await virsh(['start', g.name]);
    await waitFor(() => (app.vm(g.uuid)?.state === 'running' ? true : undefined), {
      what: `${g.name} running`,
      timeoutMs: 30_000,
    });
    const volumesBefore = await poolVolumes(pool.name);
    const domainsBefore = await domainNames();
    const jobId = randomUUID();
    let droppedAt = 0;
    // Cut the link the moment the first disk copy begins: the source is paused by then.
    const stop = app.services.events.subscribe((event) => {
      if (event.name !== 'clone:progress' || droppedAt) return;
      const p = event.payload as CloneProgress;
      if (p.jobId !== jobId || p.phase !== 'copying') return;
      droppedAt = performance.now();
      relay.dropAll();
    });
    cleanups.push(async () => stop());

    const error = await app.fails('vm:clone', {
      connectionId: relayed,
      uuid: g.uuid,
      name: `${g.name}-c`,
      jobId,
    });
    expect(droppedAt).toBeGreaterThan(0);
    expect(error.message).toMatch(
      new RegExp(
        `^Failed to clone ${g.name} as ${g.name}-c on clone-drop-relayed: .+ \\(the link dropped: once clone-drop-relayed is back, ${g.name} is resumed and what the clone made is removed\\)$`,
      ),
    );
    // While the link is down the source is still paused: only the host's return can fix it.
    expect(await domstate(g.name)).toBe('paused');
    expect(app.services.clone.pendingRecoveries).toBe(1);

    await waitFor(() => (connectedSince(droppedAt) ? true : undefined), {
      what: 'the relayed connection back',
      timeoutMs: 60_000,
    });
    await waitFor(async () => ((await domstate(g.name)) === 'running' ? true : undefined), {
      what: `${g.name} resumed after the link came back`,
      timeoutMs: 30_000,
    });
    expect(app.services.clone.pendingRecoveries).toBe(0);
    expect(await poolVolumes(pool.name)).toEqual(volumesBefore);
    expect(await domainNames()).toEqual(domainsBefore);
    expect((await virsh(['blockjob', g.name, 'vda', '--info'])).trim()).toBe(
      'No current block job for vda',
    );
  }, 150_000);
});
