import type { SnapshotCapabilities, SnapshotVerdict } from '../../../../shared/contract';

/** A refusal as a translation key with its values, or the host's own words when we have no better. */
export type VerdictMessage =
  { key: string; params: Record<string, string> } | { key: null; text: string };

/** Why something is refused, in the user's language (null: it is allowed). */
export function verdictMessage(
  caps: SnapshotCapabilities,
  verdict: SnapshotVerdict,
): VerdictMessage | null {
  if (verdict.allowed) return null;
  const reason = verdict.reason;
  const key = `snapshots.refusal.${verdict.code}`;
  switch (verdict.code) {
    case 'non-qcow2-disk': {
      const disk = caps.disks.find((d) => d.included && d.format !== 'qcow2');
      return disk
        ? { key, params: { target: disk.target, format: disk.format ?? '?' } }
        : { key: 'snapshots.refusal.non-qcow2-disk-plain', params: {} };
    }
    case 'revert-external-old-libvirt':
    case 'delete-external-old-libvirt':
      return { key, params: { version: caps.libvirtVersion } };
    case 'unsupported-disk':
      return { key, params: { reason } };
    case 'uefi-internal':
    case 'no-qcow2-disk':
    case 'no-disks':
    case 'not-running':
      return { key, params: {} };
    default:
      return { key: null, text: reason };
  }
}
