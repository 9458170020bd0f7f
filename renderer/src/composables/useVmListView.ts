import { computed, ref, type Ref } from 'vue';
import { vmStates, type VmState } from '../../../shared/contract';
import {
  defaultVisibleColumns,
  normaliseVisibleColumns,
  vmColumnIds,
  type VmColumnId,
} from '../components/vm/vm-list-columns';
import type { VmListQuery, VmListSort } from '../components/vm/vm-list-query';
import { usePersistedState } from './usePersistedState';

function parseSort(stored: unknown): VmListSort | null {
  const value = stored as Partial<VmListSort> | null;
  if (!value || typeof value.desc !== 'boolean') return null;
  return vmColumnIds.includes(value.column as VmColumnId)
    ? { column: value.column as VmColumnId, desc: value.desc }
    : null;
}

function parseColumns(stored: unknown): VmColumnId[] | null {
  return Array.isArray(stored) ? normaliseVisibleColumns(stored) : null;
}

/**
 * How the VM list is looked at: search, filters, sorting, grouping, collapsed hosts and
 * visible columns. Sorting, grouping and columns are remembered; search and filters are
 * for now.
 */
export function useVmListView() {
  const search = ref('');
  const states = ref<VmState[]>([]);
  const hosts = ref<string[]>([]);
  const tags = ref<string[]>([]);
  const sort = usePersistedState<VmListSort>(
    'vmList.sort',
    { column: 'name', desc: false },
    parseSort,
  );
  const groupByHost = usePersistedState<boolean>('vmList.groupByHost', true, (v) =>
    typeof v === 'boolean' ? v : null,
  );
  const collapsed = usePersistedState<string[]>('vmList.collapsed', [], (v) =>
    Array.isArray(v) ? v.filter((id): id is string => typeof id === 'string') : null,
  );
  const visibleColumns = usePersistedState<VmColumnId[]>(
    'vmList.columns',
    [...defaultVisibleColumns],
    parseColumns,
  );

  const query: Ref<VmListQuery> = computed(() => ({
    search: search.value,
    states: states.value,
    hosts: hosts.value,
    tags: tags.value,
    sort: sort.value,
    groupByHost: groupByHost.value,
    collapsed: new Set(collapsed.value),
  }));

  const filtering = computed(
    () =>
      search.value.trim() !== '' ||
      states.value.length > 0 ||
      hosts.value.length > 0 ||
      tags.value.length > 0,
  );

  function sortBy(column: VmColumnId): void {
    sort.value =
      sort.value.column === column
        ? { column, desc: !sort.value.desc }
        : // Numbers are most useful biggest first; words from A.
          { column, desc: ['vcpus', 'memory', 'cpu', 'memUsage', 'disk', 'net'].includes(column) };
  }

  function toggleCollapsed(connectionId: string, collapse?: boolean): void {
    const isCollapsed = collapsed.value.includes(connectionId);
    const next = collapse ?? !isCollapsed;
    if (next === isCollapsed) return;
    collapsed.value = next
      ? [...collapsed.value, connectionId]
      : collapsed.value.filter((id) => id !== connectionId);
  }

  function toggleIn<T>(list: Ref<T[]>, value: T): void {
    list.value = list.value.includes(value)
      ? list.value.filter((v) => v !== value)
      : [...list.value, value];
  }

  function clearFilters(): void {
    search.value = '';
    states.value = [];
    hosts.value = [];
    tags.value = [];
  }

  return {
    search,
    states,
    hosts,
    tags,
    sort,
    groupByHost,
    collapsed,
    visibleColumns,
    query,
    filtering,
    sortBy,
    toggleCollapsed,
    toggleState: (state: VmState) => vmStates.includes(state) && toggleIn(states, state),
    toggleHost: (connectionId: string) => toggleIn(hosts, connectionId),
    toggleTag: (tag: string) => toggleIn(tags, tag),
    clearFilters,
  };
}
