import { describe, expect, it } from 'vitest';
import type { VmHostList, VmSummary } from '../../../../../shared/contract';
import {
  buildRows,
  matchesSearch,
  type VmListContext,
  type VmListQuery,
} from '../../../../../renderer/src/components/vm/vm-list-query';
import type { VmLiveStats } from '../../../../../renderer/src/stores/stats';
import type { VmItem } from '../../../../../renderer/src/stores/vms';
import { HOST_A, HOST_B, vmSummary } from '../../vm-fixtures';

function item(vm: VmSummary): VmItem {
  return { key: `${vm.connectionId}/${vm.uuid}`, vm, pending: null, lastError: null };
}

const hosts: Record<string, VmHostList> = {
  [HOST_A]: { connectionId: HOST_A, alias: 'alpha', status: 'ready' },
  [HOST_B]: { connectionId: HOST_B, alias: 'beta', status: 'ready' },
};

function context(live: Record<string, Partial<VmLiveStats>> = {}): VmListContext {
  return {
    hosts,
    alias: (id) => hosts[id]?.alias ?? id,
    live: (key) => (live[key] ? ({ t: 0, ...live[key] } as VmLiveStats) : null),
  };
}

function query(overrides: Partial<VmListQuery> = {}): VmListQuery {
  return {
    search: '',
    states: [],
    hosts: [],
    tags: [],
    sort: { column: 'name', desc: false },
    groupByHost: false,
    collapsed: new Set(),
    ...overrides,
  };
}

const names = (rows: ReturnType<typeof buildRows>) =>
  rows.map((row) => (row.kind === 'vm' ? row.item.vm.name : `[${row.alias}]`));

const web2 = item(vmSummary({ name: 'web2', state: 'running', tags: ['prod', 'web'], vcpus: 2 }));
const web10 = item(vmSummary({ name: 'web10', state: 'paused', title: 'Shop front', vcpus: 4 }));
const db = item(
  vmSummary({
    name: 'db',
    state: 'blocked',
    connectionId: HOST_B,
    description: 'Postgres primary',
    tags: ['prod'],
  }),
);
const off = item(vmSummary({ name: 'old', state: 'saved', connectionId: HOST_B, vcpus: 1 }));
const all = [web2, web10, db, off];

describe('matchesSearch', () => {
  it('finds words in name, title, description, UUID and tags, in any case', () => {
    expect(matchesSearch(web10.vm, 'shop')).toBe(true);
    expect(matchesSearch(db.vm, 'POSTGRES')).toBe(true);
    expect(matchesSearch(web2.vm, 'prod web2')).toBe(true);
    expect(matchesSearch(web2.vm, web2.vm.uuid.slice(-6))).toBe(true);
    expect(matchesSearch(web2.vm, 'prod shop')).toBe(false);
    expect(matchesSearch(off.vm, '   ')).toBe(true);
  });
});

describe('buildRows', () => {
  it('sorts names naturally and numbers biggest first when asked', () => {
    expect(names(buildRows(all, query(), context()))).toEqual(['db', 'old', 'web2', 'web10']);
    const byCpus = buildRows(all, query({ sort: { column: 'vcpus', desc: true } }), context());
    expect(names(byCpus)).toEqual(['web10', 'web2', 'db', 'old']);
  });

  it('puts unknown live values last in both directions', () => {
    const live = { [web2.key]: { cpu: 50 }, [db.key]: { cpu: 3 } };
    const asc = buildRows(all, query({ sort: { column: 'cpu', desc: false } }), context(live));
    const desc = buildRows(all, query({ sort: { column: 'cpu', desc: true } }), context(live));
    expect(names(asc)).toEqual(['db', 'web2', 'old', 'web10']);
    expect(names(desc)).toEqual(['web2', 'db', 'old', 'web10']);
  });

  it('filters by state (blocked counts as running), host and every chosen tag', () => {
    expect(names(buildRows(all, query({ states: ['running'] }), context()))).toEqual([
      'db',
      'web2',
    ]);
    expect(names(buildRows(all, query({ hosts: [HOST_B] }), context()))).toEqual(['db', 'old']);
    expect(names(buildRows(all, query({ tags: ['prod'] }), context()))).toEqual(['db', 'web2']);
    expect(names(buildRows(all, query({ tags: ['prod', 'web'] }), context()))).toEqual(['web2']);
  });

  it('groups by host with running/total counts; a collapsed host keeps only its header', () => {
    const rows = buildRows(
      all,
      query({ groupByHost: true, collapsed: new Set([HOST_B]) }),
      context(),
    );
    expect(names(rows)).toEqual(['[alpha]', 'web2', 'web10', '[beta]']);
    const beta = rows[3];
    expect(beta).toMatchObject({ kind: 'group', running: 1, total: 2, collapsed: true });
  });

  it('shows a connected host without VMs only while nothing is filtered', () => {
    const empty: Record<string, VmHostList> = {
      ...hosts,
      c: { connectionId: 'c', alias: 'gamma', status: 'loading' },
    };
    const ctx = { ...context(), hosts: empty, alias: (id: string) => empty[id]?.alias ?? id };
    expect(names(buildRows(all, query({ groupByHost: true }), ctx))).toContain('[gamma]');
    expect(names(buildRows(all, query({ groupByHost: true, search: 'web' }), ctx))).toEqual([
      '[alpha]',
      'web2',
      'web10',
    ]);
  });
});
