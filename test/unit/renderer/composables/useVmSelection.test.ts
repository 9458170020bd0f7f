import { nextTick, ref } from 'vue';
import { describe, expect, it } from 'vitest';
import type { VmListRow } from '../../../../renderer/src/components/vm/vm-list-query';
import { useVmSelection } from '../../../../renderer/src/composables/useVmSelection';
import { vmSummary } from '../vm-fixtures';

function vmRow(name: string): VmListRow {
  const vm = vmSummary({ name });
  const key = `${vm.connectionId}/${vm.uuid}`;
  return { kind: 'vm', key, item: { key, vm, pending: null, lastError: null } };
}

const group: VmListRow = {
  kind: 'group',
  key: 'group:a',
  connectionId: 'a',
  alias: 'alpha',
  status: 'ready',
  running: 0,
  total: 3,
  collapsed: false,
};

describe('useVmSelection', () => {
  const [a, b, c] = [vmRow('a'), vmRow('b'), vmRow('c')];
  const keys = (set: ReadonlySet<string>) => [...set].sort();

  it('selects like a file manager: click, Ctrl+click, Shift+click', () => {
    const rows = ref<VmListRow[]>([group, a, b, c]);
    const s = useVmSelection(rows);
    s.select(a.key);
    s.select(c.key, 'range');
    expect(keys(s.selected.value)).toEqual(keys(new Set([a.key, b.key, c.key])));
    s.select(b.key, 'toggle');
    expect(keys(s.selected.value)).toEqual(keys(new Set([a.key, c.key])));
    s.select(group.key);
    // A host header takes the focus but is never selected.
    expect(s.focused.value).toBe(group.key);
    expect(s.selected.value.has(group.key)).toBe(false);
  });

  it('moves the focus with the keyboard, clamped to the list', () => {
    const rows = ref<VmListRow[]>([group, a, b, c]);
    const s = useVmSelection(rows);
    s.move(1);
    expect(s.focused.value).toBe(group.key);
    s.move(2);
    expect([...s.selected.value]).toEqual([b.key]);
    s.move(10, 'range');
    expect(keys(s.selected.value)).toEqual(keys(new Set([b.key, c.key])));
    s.move(-1, 'focus');
    expect(s.focused.value).toBe(b.key);
    expect(s.selected.value.size).toBe(2);
  });

  it('drops VMs that leave the list from the selection', async () => {
    const rows = ref<VmListRow[]>([a, b, c]);
    const s = useVmSelection(rows);
    s.selectAll();
    rows.value = [a, c];
    await nextTick();
    expect(keys(s.selected.value)).toEqual(keys(new Set([a.key, c.key])));
  });
});
