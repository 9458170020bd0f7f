import { computed, ref, watch, type Ref } from 'vue';
import type { VmListRow } from '../components/vm/vm-list-query';

export type SelectMode = 'only' | 'toggle' | 'range';

/**
 * The list's selection and keyboard focus, by row key. Selection holds VM rows only and
 * follows the rows: a VM that leaves the list (deleted, filtered out) leaves the selection,
 * so a bulk action never reaches a VM the user cannot see.
 */
export function useVmSelection(rows: Ref<readonly VmListRow[]>) {
  const selected = ref<ReadonlySet<string>>(new Set());
  /** The row the keyboard is on (a VM or a host header). */
  const focused = ref<string | null>(null);
  let anchor: string | null = null;

  const indexOf = computed(() => new Map(rows.value.map((row, i) => [row.key, i])));
  const vmKeys = computed(() => rows.value.filter((r) => r.kind === 'vm').map((r) => r.key));

  watch(rows, () => {
    const present = indexOf.value;
    const kept = [...selected.value].filter((key) => present.has(key));
    if (kept.length !== selected.value.size) selected.value = new Set(kept);
    if (focused.value && !present.has(focused.value)) focused.value = rows.value[0]?.key ?? null;
    if (anchor && !present.has(anchor)) anchor = null;
  });

  function select(key: string, mode: SelectMode = 'only'): void {
    const row = rows.value[indexOf.value.get(key) ?? -1];
    focused.value = key;
    if (!row || row.kind !== 'vm') return;
    if (mode === 'toggle') {
      const next = new Set(selected.value);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      selected.value = next;
      anchor = key;
    } else if (mode === 'range' && anchor && indexOf.value.has(anchor)) {
      const a = indexOf.value.get(anchor) ?? 0;
      const b = indexOf.value.get(key) ?? 0;
      const [from, to] = a < b ? [a, b] : [b, a];
      selected.value = new Set(
        rows.value
          .slice(from, to + 1)
          .filter((r) => r.kind === 'vm')
          .map((r) => r.key),
      );
    } else {
      selected.value = new Set([key]);
      anchor = key;
    }
  }

  function selectAll(): void {
    selected.value = new Set(vmKeys.value);
  }

  function clear(): void {
    selected.value = new Set();
  }

  /** Moves the keyboard focus by `delta` rows (clamped); selects like a click would. */
  function move(delta: number, mode: SelectMode | 'focus' = 'only'): void {
    if (rows.value.length === 0) return;
    const current = focused.value ? (indexOf.value.get(focused.value) ?? -1) : -1;
    const target = Math.max(0, Math.min(rows.value.length - 1, current + delta));
    const key = rows.value[target]?.key;
    if (!key) return;
    if (mode === 'focus') focused.value = key;
    else select(key, mode);
  }

  return { selected, focused, select, selectAll, clear, move };
}
