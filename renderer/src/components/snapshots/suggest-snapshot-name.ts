import type { SnapshotNode } from '../../../../shared/contract';

/**
 * The first free `snapshot<N>` (N from 1) among the VM's snapshots, as virt-manager
 * suggests: a name the user can accept as is.
 */
export function suggestSnapshotName(roots: readonly SnapshotNode[], base = 'snapshot'): string {
  const taken = new Set<string>();
  const visit = (nodes: readonly SnapshotNode[]): void => {
    for (const n of nodes) {
      taken.add(n.name);
      visit(n.children);
    }
  };
  visit(roots);
  let n = 1;
  while (taken.has(`${base}${n}`)) n++;
  return `${base}${n}`;
}
