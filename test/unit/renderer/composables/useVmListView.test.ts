import { nextTick } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useVmListView } from '../../../../renderer/src/composables/useVmListView';

let stored: Map<string, string>;

beforeEach(() => {
  stored = new Map();
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => stored.set(key, value),
  });
});

afterEach(() => vi.unstubAllGlobals());

describe('useVmListView', () => {
  it('remembers sorting, grouping and columns, not search or filters', async () => {
    const view = useVmListView();
    view.sortBy('cpu');
    view.groupByHost.value = false;
    view.visibleColumns.value = view.visibleColumns.value.filter((id) => id !== 'tags');
    view.search.value = 'web';
    view.toggleTag('prod');
    await nextTick();

    const again = useVmListView();
    expect(again.sort.value).toEqual({ column: 'cpu', desc: true });
    expect(again.groupByHost.value).toBe(false);
    expect(again.visibleColumns.value).not.toContain('tags');
    expect(again.visibleColumns.value).toContain('name');
    expect(again.search.value).toBe('');
    expect(again.tags.value).toEqual([]);
  });

  it('ignores stored values it does not understand', () => {
    stored.set('virtdeck.vmList.sort', '{"column":"bogus","desc":true}');
    stored.set('virtdeck.vmList.columns', '["name","nope","disk"]');
    stored.set('virtdeck.vmList.groupByHost', 'not json');
    const view = useVmListView();
    expect(view.sort.value).toEqual({ column: 'name', desc: false });
    expect(view.visibleColumns.value).toEqual(['state', 'name', 'disk']);
    expect(view.groupByHost.value).toBe(true);
  });

  it('toggles a sort direction and counts filters', () => {
    const view = useVmListView();
    view.sortBy('name');
    expect(view.sort.value).toEqual({ column: 'name', desc: true });
    expect(view.filtering.value).toBe(false);
    view.toggleState('paused');
    expect(view.filtering.value).toBe(true);
    view.clearFilters();
    expect(view.states.value).toEqual([]);
  });
});
