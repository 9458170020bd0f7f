import type {
  SnapshotCapabilities,
  SnapshotCapabilityDisk,
  SnapshotLocation,
  SnapshotVerdict,
} from '../../shared/contract/snapshots';
import { listDevicesOfKind, readDisk, readFirmware, type XmlDocument } from '../../shared/xml';

/** What of a VM's definition decides which snapshots libvirt takes. */
export interface SnapshotDomainFacts {
  firmware: 'bios' | 'efi';
  /** A pflash loader (UEFI, or any flash firmware): libvirt refuses internal snapshots. */
  pflash: boolean;
  disks: Array<SnapshotCapabilityDisk & { sourceType: string }>;
  /** The VM has a display (graphics device) a screenshot can be taken of. */
  graphics: boolean;
}

// Disk source types libvirt's QEMU driver can snapshot (internal needs qcow2 on top).
const SNAPSHOT_SOURCE_TYPES: readonly string[] = ['file', 'block', 'volume'];

export function readSnapshotDomainFacts(doc: XmlDocument): SnapshotDomainFacts {
  const fw = readFirmware(doc);
  const disks = listDevicesOfKind(doc, 'disk').map((entry) => {
    const disk = readDisk(entry.element);
    const path = disk.source?.file ?? disk.source?.dev ?? null;
    const hasSource = disk.source !== undefined && Object.keys(disk.source).length > 0;
    // libvirt's own default: read-only media (CD-ROMs, read-only disks) are left out.
    const included =
      hasSource && !disk.readonly && disk.device !== 'cdrom' && disk.device !== 'floppy';
    return {
      target: disk.target.dev ?? `disk#${entry.ordinal}`,
      format: disk.driver.type ?? null,
      path,
      included,
      sourceType: disk.type ?? 'file',
    };
  });
  return {
    firmware: fw.kind,
    pflash: fw.kind === 'efi' || fw.loader?.type === 'pflash',
    disks,
    graphics: listDevicesOfKind(doc, 'graphics').length > 0,
  };
}

const OK: SnapshotVerdict = { allowed: true };

/** libvirt's version number (major * 1e6 + minor * 1e3 + micro) as text. */
export function versionText(version: number): string {
  return `${Math.floor(version / 1_000_000)}.${Math.floor(version / 1000) % 1000}.${version % 1000}`;
}

const LIBVIRT_EXTERNAL_REVERT = 9_009_000;
const LIBVIRT_EXTERNAL_DELETE = 9_000_000;

/**
 * What libvirt (at `libVersion`) would refuse for this VM, decided from its XML alone so the
 * UI can say so before anyone tries. Mirrors the QEMU driver's checks.
 */
export function snapshotCapabilities(
  facts: SnapshotDomainFacts,
  libVersion: number,
  state: { active: boolean; externalSnapshots: number },
  vm: { connectionId: string; uuid: string },
): SnapshotCapabilities {
  const included = facts.disks.filter((d) => d.included);
  const unsupported = included.find((d) => !SNAPSHOT_SOURCE_TYPES.includes(d.sourceType));
  const nonQcow2 = included.find((d) => d.format !== 'qcow2');
  const version = versionText(libVersion);
  const { active } = state;

  let internal: SnapshotVerdict = OK;
  if (facts.pflash) {
    internal = {
      allowed: false,
      code: 'uefi-internal',
      reason:
        'libvirt refuses internal snapshots of VMs with UEFI (pflash) firmware; take an external snapshot',
    };
  } else if (unsupported) {
    internal = unsupportedDisk(unsupported);
  } else if (nonQcow2) {
    internal = {
      allowed: false,
      code: 'non-qcow2-disk',
      reason: `Internal snapshots need every disk in qcow2 format; ${nonQcow2.target} is ${nonQcow2.format ?? 'of unknown format'}`,
    };
  } else if (included.length === 0) {
    internal = {
      allowed: false,
      code: 'no-qcow2-disk',
      reason: 'Internal snapshots are kept inside a qcow2 disk, and this VM has none',
    };
  }

  let external: SnapshotVerdict = OK;
  if (unsupported) external = unsupportedDisk(unsupported);
  else if (included.length === 0) {
    external = {
      allowed: false,
      code: 'no-disks',
      reason: 'This VM has no writable disk to take an external snapshot of',
    };
  }

  const memory: SnapshotVerdict = active
    ? OK
    : {
        allowed: false,
        code: 'not-running',
        reason: 'Only a running or paused VM has memory to save',
      };
  const revertExternal: SnapshotVerdict =
    libVersion >= LIBVIRT_EXTERNAL_REVERT
      ? OK
      : {
          allowed: false,
          code: 'revert-external-old-libvirt',
          reason: `libvirt ${version} on this host cannot revert to external snapshots (9.9 or newer can)`,
        };
  const deleteExternal: SnapshotVerdict =
    libVersion >= LIBVIRT_EXTERNAL_DELETE
      ? OK
      : {
          allowed: false,
          code: 'delete-external-old-libvirt',
          reason: `libvirt ${version} on this host cannot delete external snapshots (9.0 or newer can)`,
        };
  // After an external snapshot the VM runs on a qcow2 overlay, which would allow internal
  // ones again; mixing both in one chain is what nobody wants by default.
  const preferExternal = state.externalSnapshots > 0 && external.allowed;
  const defaultMode: SnapshotLocation | null =
    internal.allowed && !preferExternal ? 'internal' : external.allowed ? 'external' : null;
  return {
    connectionId: vm.connectionId,
    uuid: vm.uuid,
    libvirtVersion: version,
    active,
    externalSnapshots: state.externalSnapshots,
    firmware: facts.firmware,
    disks: facts.disks.map(({ target, format, path, included: inc }) => ({
      target,
      format,
      path,
      included: inc,
    })),
    internal,
    external,
    memory,
    revertExternal,
    deleteExternal,
    defaultMode,
  };
}

function unsupportedDisk(disk: { target: string; sourceType: string }): SnapshotVerdict {
  return {
    allowed: false,
    code: 'unsupported-disk',
    reason: `libvirt cannot snapshot ${disk.target} (a ${disk.sourceType} disk); exclude it or detach it first`,
  };
}
