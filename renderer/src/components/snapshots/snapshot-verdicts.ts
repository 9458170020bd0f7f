import type {
  SnapshotCapabilities,
  SnapshotLocation,
  SnapshotNode,
  SnapshotVerdict,
} from '../../../../shared/contract';

const ALLOWED: SnapshotVerdict = { allowed: true };

/** Whether libvirt on this host reverts to this snapshot (external ones need 9.9). */
export function revertVerdict(caps: SnapshotCapabilities, node: SnapshotNode): SnapshotVerdict {
  return node.location === 'external' ? caps.revertExternal : ALLOWED;
}

/** Whether libvirt on this host deletes this snapshot (and, with children, its subtree). */
export function deleteVerdict(
  caps: SnapshotCapabilities,
  node: SnapshotNode,
  withChildren: boolean,
): SnapshotVerdict {
  const external = (n: SnapshotNode): boolean =>
    n.location === 'external' || (withChildren && n.children.some(external));
  return external(node) ? caps.deleteExternal : ALLOWED;
}

/** The create dialog's choice of mode, each with its verdict; the first allowed preselected. */
export interface CreateModeChoice {
  mode: SnapshotLocation;
  verdict: SnapshotVerdict;
}

export function createModeChoices(caps: SnapshotCapabilities): CreateModeChoice[] {
  return [
    { mode: 'internal', verdict: caps.internal },
    { mode: 'external', verdict: caps.external },
  ];
}

export function preferredMode(caps: SnapshotCapabilities): SnapshotLocation | null {
  return caps.defaultMode ?? createModeChoices(caps).find((c) => c.verdict.allowed)?.mode ?? null;
}

/**
 * Whether the memory option applies and what it must be: an internal snapshot of a running
 * VM always holds its memory; an external one may be disk-only; a shut-off VM has none.
 */
export function memoryChoice(
  caps: SnapshotCapabilities,
  mode: SnapshotLocation,
): { editable: boolean; value: boolean; verdict: SnapshotVerdict } {
  if (!caps.memory.allowed) return { editable: false, value: false, verdict: caps.memory };
  if (mode === 'internal') return { editable: false, value: true, verdict: ALLOWED };
  return { editable: true, value: true, verdict: ALLOWED };
}
