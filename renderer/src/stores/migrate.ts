import { defineStore } from 'pinia';
import { reactive } from 'vue';
import type {
  MigrateCheck,
  MigrateCheckRequest,
  MigrateProgress,
  MigrateRequest,
  MigrateResult,
} from '../../../shared/contract';
import { call, onEvent } from '../api/client';
import { describeError, type ErrorDetail } from './notifications';

export type MigrateOutcome<T> = { ok: true; value: T } | { ok: false; error: ErrorDetail };

async function outcome<T>(run: () => Promise<T>): Promise<MigrateOutcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/**
 * Migrations started from this window: pre-flight checks, the running jobs' progress (from
 * 'vm:migrateProgress', ~every 500 ms while data moves) and cancel.
 */
export const useMigrateStore = defineStore('migrate', () => {
  const progress = reactive(new Map<string, MigrateProgress>());
  let unsubscribe: (() => void) | null = null;

  function follow(): void {
    unsubscribe ??= onEvent('vm:migrateProgress', (p) => {
      progress.set(p.jobId, p);
    });
  }

  function check(request: MigrateCheckRequest): Promise<MigrateOutcome<MigrateCheck>> {
    return outcome(() => call('vm:migrateCheck', request));
  }

  function migrate(request: MigrateRequest): Promise<MigrateOutcome<MigrateResult>> {
    follow();
    return outcome(() => call('vm:migrate', request));
  }

  function cancel(jobId: string): Promise<MigrateOutcome<{ cancelled: boolean }>> {
    return outcome(() => call('vm:migrateCancel', { jobId }));
  }

  /** The dialog closed: its job's figures are no longer shown. */
  function forget(jobId: string): void {
    progress.delete(jobId);
  }

  return { progress, follow, check, migrate, cancel, forget };
});
