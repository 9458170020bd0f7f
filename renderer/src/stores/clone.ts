import { defineStore } from 'pinia';
import { reactive } from 'vue';
import type {
  ClonePlan,
  CloneProgress,
  CloneResult,
  VmCloneRequest,
  VmTarget,
} from '../../../shared/contract';
import { call, onEvent } from '../api/client';
import { describeError, type ErrorDetail } from './notifications';

export type CloneOutcome<T> = { ok: true; value: T } | { ok: false; error: ErrorDetail };

async function outcome<T>(run: () => Promise<T>): Promise<CloneOutcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/**
 * Clones started from this window: the plan for the dialog, the running jobs' progress
 * (from 'clone:progress', ~every 300 ms while disks are copied) and cancel.
 */
export const useCloneStore = defineStore('clone', () => {
  const progress = reactive(new Map<string, CloneProgress>());
  let unsubscribe: (() => void) | null = null;

  function follow(): void {
    unsubscribe ??= onEvent('clone:progress', (p) => {
      progress.set(p.jobId, p);
    });
  }

  function plan(target: VmTarget): Promise<CloneOutcome<ClonePlan>> {
    return outcome(() => call('vm:clonePlan', target));
  }

  function clone(request: VmCloneRequest): Promise<CloneOutcome<CloneResult>> {
    follow();
    return outcome(() => call('vm:clone', request));
  }

  function cancel(jobId: string): Promise<CloneOutcome<{ cancelled: boolean }>> {
    return outcome(() => call('vm:cloneCancel', { jobId }));
  }

  /** The dialog closed: its job's figures are no longer shown. */
  function forget(jobId: string): void {
    progress.delete(jobId);
  }

  return { progress, follow, plan, clone, cancel, forget };
});
