import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CloneProgress } from '../../../shared/contract/clone';
import { waitFor } from '../../harness/wait-for';
import { virsh, type VmApp } from '../vms/vm-test-support';
import {
  defineGuest,
  domainNames,
  domstate,
  poolVolumes,
  type DirPool,
  withCloneHost,
} from './clone-test-support';

/**
 * Cancel, asked the moment a disk copy begins (from the progress event itself, so the
 * timing does not depend on the machine's speed): nothing of the clone is kept.
 */
let app: VmApp;
let pool: DirPool;
const cleanups = withCloneHost('clone-cancel-host', 'vd-clone-cancel', (host) => {
  ({ app, pool } = host);
});

/** Cancels job `jobId` from inside the first 'copying' event; answers what the cancel said. */
function cancelOnFirstCopy(jobId: string): { answer: () => boolean | undefined } {
  let answer: boolean | undefined;
  const stop = app.services.events.subscribe((event) => {
    if (event.name !== 'clone:progress') return;
    const p = event.payload as CloneProgress;
    if (p.jobId !== jobId || p.phase !== 'copying' || answer !== undefined) return;
    answer = app.services.clone.cancel(jobId).cancelled;
  });
  cleanups.push(async () => stop());
  return { answer: () => answer };
}

describe('cancelling a clone', () => {
  it('of a shut-off VM: the running volume copy ends, then everything is removed', async () => {
    const g = await defineGuest(
      app,
      'vd-clone-cx-off',
      [
        { target: 'vda', pool, format: 'qcow2', pattern: 0x21 },
        { target: 'vdb', pool, format: 'qcow2', pattern: 0x22 },
      ],
      cleanups,
    );
    const volumesBefore = await poolVolumes(pool.name);
    const domainsBefore = await domainNames();
    const jobId = randomUUID();
    const cancel = cancelOnFirstCopy(jobId);
    const error = await app.fails('vm:clone', { ...g.target, name: `${g.name}-c`, jobId });
    expect(cancel.answer()).toBe(true);
    expect(error.message).toBe(`The clone of ${g.name} was cancelled; nothing of it was kept`);
    expect(await poolVolumes(pool.name)).toEqual(volumesBefore);
    expect(await domainNames()).toEqual(domainsBefore);
    // The job is gone: a second cancel finds nothing.
    expect(await app.ok('vm:cloneCancel', { jobId })).toEqual({ cancelled: false });
  }, 120_000);

  it('of a running VM: the block copy is aborted, the copy removed, the VM runs on', async () => {
    const g = await defineGuest(
      app,
      'vd-clone-cx-run',
      [{ target: 'vda', pool, format: 'qcow2', pattern: 0x31 }],
      cleanups,
    );
    await virsh(['start', g.name]);
    await waitFor(() => (app.vm(g.uuid)?.state === 'running' ? true : undefined), {
      what: `${g.name} running`,
      timeoutMs: 30_000,
    });
    const volumesBefore = await poolVolumes(pool.name);
    const jobId = randomUUID();
    const cancel = cancelOnFirstCopy(jobId);
    const error = await app.fails('vm:clone', { ...g.target, name: `${g.name}-c`, jobId });
    expect(cancel.answer()).toBe(true);
    expect(error.message).toContain('was cancelled');
    expect(await poolVolumes(pool.name)).toEqual(volumesBefore);
    expect(await domstate(g.name)).toBe('running');
    // No block job is left on the source's disk.
    expect((await virsh(['blockjob', g.name, 'vda', '--info'])).trim()).toBe(
      'No current block job for vda',
    );
  }, 120_000);
});
