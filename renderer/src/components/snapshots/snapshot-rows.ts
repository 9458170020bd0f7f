import type { SnapshotNode } from '../../../../shared/contract';

export interface SnapshotRow {
  node: SnapshotNode;
  /** 0 for a root. */
  depth: number;
  /** How many snapshots descend from it (a delete "with children" removes them too). */
  descendants: number;
}

function countDescendants(node: SnapshotNode): number {
  return node.children.reduce((sum, child) => sum + 1 + countDescendants(child), 0);
}

/** The tree, depth first (parents before their children, oldest first), as indented rows. */
export function snapshotRows(roots: readonly SnapshotNode[], depth = 0): SnapshotRow[] {
  return roots.flatMap((node) => [
    { node, depth, descendants: countDescendants(node) },
    ...snapshotRows(node.children, depth + 1),
  ]);
}

/** A snapshot by name anywhere in the tree. */
export function findSnapshot(roots: readonly SnapshotNode[], name: string): SnapshotNode | null {
  for (const node of roots) {
    if (node.name === name) return node;
    const inner = findSnapshot(node.children, name);
    if (inner) return inner;
  }
  return null;
}
