import { ref } from 'vue';
import type { ErrorDetail } from '../../stores/notifications';

/**
 * Per-row actions of an object table (pools, networks): which row is busy, and the one row
 * error shown under its row — libvirt's message, never a generic one. A new action clears the
 * previous error so a stale refusal never sits beside a row that since changed.
 */
export function useRowActions() {
  const busy = ref<string | null>(null);
  const rowError = ref<{ row: string; error: ErrorDetail } | null>(null);

  async function act(
    row: string,
    call: () => Promise<{ ok: true } | { ok: false; error: ErrorDetail }>,
    opts: { showBusy?: boolean } = {},
  ): Promise<void> {
    if (opts.showBusy !== false) busy.value = row;
    rowError.value = null;
    const result = await call();
    if (opts.showBusy !== false) busy.value = null;
    if (!result.ok) rowError.value = { row, error: result.error };
  }

  return { busy, rowError, act };
}
