import type { SnapshotNode } from '../../shared/contract/snapshots';
import type { SnapshotView } from '../../shared/xml';

/** One snapshot as libvirt listed it, with its parsed XML. */
export interface SnapshotRecord {
  name: string;
  parent: string | null;
  current: boolean;
  view: SnapshotView;
  hasThumbnail: boolean;
}

/** A snapshot's fields for the UI (without its children). */
export function snapshotNode(record: SnapshotRecord): SnapshotNode {
  const { view } = record;
  const memorySnapshot = view.memory?.snapshot;
  const disks = view.disks.map((d) => ({
    target: d.name ?? '',
    snapshot: d.snapshot ?? 'no',
    file: d.snapshot === 'external' ? (d.sourceFile ?? null) : null,
  }));
  const external = memorySnapshot === 'external' || disks.some((d) => d.snapshot === 'external');
  const state = view.state ?? 'nostate';
  return {
    name: record.name,
    description: view.description ?? '',
    creationTime: view.creationTime ?? null,
    state,
    hasMemory: memorySnapshot === 'internal' || memorySnapshot === 'external',
    diskOnly: state === 'disk-snapshot',
    location: external ? 'external' : 'internal',
    memoryFile: memorySnapshot === 'external' ? (view.memory?.file ?? null) : null,
    disks,
    parent: record.parent,
    current: record.current,
    hasThumbnail: record.hasThumbnail,
    children: [],
  };
}

const byAge = (a: SnapshotNode, b: SnapshotNode): number =>
  (a.creationTime ?? 0) - (b.creationTime ?? 0) || a.name.localeCompare(b.name);

/**
 * The records as a forest, oldest first on every level. A parent missing from the list
 * (deleted between the calls) makes its children roots rather than losing them.
 */
export function buildSnapshotTree(records: readonly SnapshotRecord[]): SnapshotNode[] {
  const nodes = new Map(records.map((r) => [r.name, snapshotNode(r)]));
  const roots: SnapshotNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent === null ? undefined : nodes.get(node.parent);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sortDeep = (list: SnapshotNode[]): void => {
    list.sort(byAge);
    for (const n of list) sortDeep(n.children);
  };
  sortDeep(roots);
  return roots;
}

/** The names of a node's descendants, depth first. */
export function descendantNames(roots: readonly SnapshotNode[], name: string): string[] {
  const find = (list: readonly SnapshotNode[]): SnapshotNode | undefined => {
    for (const n of list) {
      if (n.name === name) return n;
      const hit = find(n.children);
      if (hit) return hit;
    }
    return undefined;
  };
  const out: string[] = [];
  const walk = (n: SnapshotNode): void => {
    for (const c of n.children) {
      out.push(c.name);
      walk(c);
    }
  };
  const node = find(roots);
  if (node) walk(node);
  return out;
}
