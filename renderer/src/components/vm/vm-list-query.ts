import type { VmHostList, VmState, VmSummary } from '../../../../shared/contract';
import type { VmLiveStats } from '../../stores/stats';
import type { VmItem } from '../../stores/vms';
import { sumRates } from '../graphs/stat-format';
import type { VmColumnId } from './vm-list-columns';
import { filterStateOf, vmStateView } from './vm-state-view';

export interface VmListSort {
  column: VmColumnId;
  desc: boolean;
}

export interface VmListQuery {
  search: string;
  /** Empty = every state. */
  states: readonly VmState[];
  /** Connection ids; empty = every host. */
  hosts: readonly string[];
  /** A VM must carry every one of these. */
  tags: readonly string[];
  sort: VmListSort;
  groupByHost: boolean;
  collapsed: ReadonlySet<string>;
}

export interface VmGroupRow {
  kind: 'group';
  key: string;
  connectionId: string;
  alias: string;
  status: VmHostList['status'];
  running: number;
  total: number;
  collapsed: boolean;
}

export interface VmRow {
  kind: 'vm';
  key: string;
  item: VmItem;
}

export type VmListRow = VmGroupRow | VmRow;

export interface VmListContext {
  hosts: Readonly<Record<string, VmHostList>>;
  /** A host's display name (the connections store knows renames first). */
  alias: (connectionId: string) => string;
  live: (key: string) => VmLiveStats | null;
}

const haystacks = new WeakMap<VmSummary, string>();

/** Name, title, description, UUID and tags, lowercased once per version of the VM. */
function haystack(vm: VmSummary): string {
  let text = haystacks.get(vm);
  if (text === undefined) {
    text = [vm.name, vm.title, vm.description, vm.uuid, ...vm.tags].join('\n').toLowerCase();
    haystacks.set(vm, text);
  }
  return text;
}

/** Every whitespace-separated word must occur somewhere (name, title, …, tags). */
export function matchesSearch(vm: VmSummary, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = haystack(vm);
  return words.every((word) => text.includes(word));
}

export function matchesQuery(vm: VmSummary, query: VmListQuery): boolean {
  if (query.states.length > 0 && !query.states.includes(filterStateOf(vm.state))) return false;
  if (query.hosts.length > 0 && !query.hosts.includes(vm.connectionId)) return false;
  if (query.tags.length > 0 && !query.tags.every((tag) => vm.tags.includes(tag))) return false;
  return matchesSearch(vm, query.search);
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

type SortValue = number | string | null;

function sortValue(item: VmItem, column: VmColumnId, ctx: VmListContext): SortValue {
  const vm = item.vm;
  switch (column) {
    case 'state':
      return vmStateView(vm.state).rank;
    case 'name':
      return vm.name;
    case 'title':
      return vm.title || null;
    case 'host':
      return ctx.alias(vm.connectionId);
    case 'tags':
      return vm.tags[0] ?? null;
    case 'vcpus':
      return vm.vcpus;
    case 'memory':
      return vm.memoryKiB;
    case 'cpu':
      return ctx.live(item.key)?.cpu ?? null;
    case 'memUsage':
      return ctx.live(item.key)?.mem ?? null;
    case 'disk': {
      const live = ctx.live(item.key);
      return sumRates(live?.diskRd, live?.diskWr);
    }
    case 'net': {
      const live = ctx.live(item.key);
      return sumRates(live?.netRx, live?.netTx);
    }
  }
}

/** Sorts in place; unknown values go last either way, ties fall back to the name. */
export function sortItems(items: VmItem[], sort: VmListSort, ctx: VmListContext): VmItem[] {
  const values = new Map(items.map((item) => [item, sortValue(item, sort.column, ctx)]));
  const direction = sort.desc ? -1 : 1;
  return items.sort((a, b) => {
    const va = values.get(a) ?? null;
    const vb = values.get(b) ?? null;
    if (va !== vb) {
      if (va === null) return 1;
      if (vb === null) return -1;
      const order =
        typeof va === 'number' && typeof vb === 'number'
          ? va - vb
          : collator.compare(String(va), String(vb));
      if (order !== 0) return order * direction;
    }
    return collator.compare(a.vm.name, b.vm.name) || a.key.localeCompare(b.key);
  });
}

function isRunning(vm: VmSummary): boolean {
  return vm.state === 'running' || vm.state === 'blocked';
}

/**
 * The rows the table shows: matching VMs, sorted, either flat or under one header per host
 * (in the hosts' alias order). A collapsed host keeps its header with its counts.
 */
export function buildRows(
  items: readonly VmItem[],
  query: VmListQuery,
  ctx: VmListContext,
): VmListRow[] {
  const matching = items.filter((item) => matchesQuery(item.vm, query));
  sortItems(matching, query.sort, ctx);
  if (!query.groupByHost) return matching.map((item) => ({ kind: 'vm', key: item.key, item }));

  const byHost = new Map<string, VmItem[]>();
  for (const item of matching) {
    const list = byHost.get(item.vm.connectionId);
    if (list) list.push(item);
    else byHost.set(item.vm.connectionId, [item]);
  }
  const filtering =
    query.search.trim() !== '' ||
    query.states.length > 0 ||
    query.tags.length > 0 ||
    query.hosts.length > 0;
  // Without a filter a connected host shows even when empty (or still loading).
  const hostIds = new Set(byHost.keys());
  if (!filtering) {
    for (const host of Object.values(ctx.hosts)) {
      if (host.status !== 'disconnected') hostIds.add(host.connectionId);
    }
  }
  const ordered = [...hostIds].sort((a, b) => collator.compare(ctx.alias(a), ctx.alias(b)));

  const rows: VmListRow[] = [];
  for (const connectionId of ordered) {
    const vms = byHost.get(connectionId) ?? [];
    const collapsed = query.collapsed.has(connectionId);
    rows.push({
      kind: 'group',
      key: `group:${connectionId}`,
      connectionId,
      alias: ctx.alias(connectionId),
      status: ctx.hosts[connectionId]?.status ?? 'ready',
      running: vms.filter((item) => isRunning(item.vm)).length,
      total: vms.length,
      collapsed,
    });
    if (!collapsed) for (const item of vms) rows.push({ kind: 'vm', key: item.key, item });
  }
  return rows;
}
