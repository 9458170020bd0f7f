import type { DiskIotuneInput, DomainEdit } from '../../shared/contract/domain-edit';
import {
  readDisk,
  readInterface,
  setDiskIotune,
  setInterfaceBandwidth,
  type BandwidthPatch,
  type XmlElement,
} from '../../shared/xml';
import { editInvalid, xmlEdit } from './edit-plan';

type BandwidthInput = NonNullable<Extract<DomainEdit, { kind: 'updateInterface' }>['bandwidth']>;

/** Our field → libvirt's name, the same in `<iotune>` and in the block I/O tune parameters. */
const IOTUNE_NAMES: Readonly<Record<keyof DiskIotuneInput, string>> = {
  totalBytesSec: 'total_bytes_sec',
  readBytesSec: 'read_bytes_sec',
  writeBytesSec: 'write_bytes_sec',
  totalIopsSec: 'total_iops_sec',
  readIopsSec: 'read_iops_sec',
  writeIopsSec: 'write_iops_sec',
};

/** The edit by libvirt's names: a number sets a limit, null removes it. */
function iotunePatch(input: DiskIotuneInput): Record<string, number | null> {
  const patch: Record<string, number | null> = {};
  for (const [field, name] of Object.entries(IOTUNE_NAMES)) {
    const value = input[field as keyof DiskIotuneInput];
    if (value !== undefined) patch[name] = value;
  }
  return patch;
}

/** The limits a disk has after the patch. */
function mergedLimits(
  disk: XmlElement,
  patch: Record<string, number | null>,
): Record<string, number> {
  const merged: Record<string, number> = { ...readDisk(disk).iotune };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/**
 * libvirt refuses a total limit next to a read or write limit of the same kind; checked on the
 * disk as it would be, so a limit already set counts too.
 */
function checkCombination(limits: Record<string, number>, where: string): void {
  for (const [kind, unit] of [
    ['bytes', 'bytes/s'],
    ['iops', 'IOPS'],
  ] as const) {
    const total = limits[`total_${kind}_sec`];
    const split = limits[`read_${kind}_sec`] ?? limits[`write_${kind}_sec`];
    if (total && split) {
      throw editInvalid(
        `${where}: a total ${unit} limit cannot be combined with a read or write ${unit} limit; remove one of them`,
        'iotune',
      );
    }
  }
}

/** The persistent `<iotune>` change, refused before anything is written when libvirt would. */
export function updateIotune(disk: XmlElement, input: DiskIotuneInput): XmlElement {
  const patch = iotunePatch(input);
  checkCombination(mergedLimits(disk, patch), 'The disk limits');
  return xmlEdit('iotune', () => setDiskIotune(disk, patch));
}

/**
 * The block I/O tune parameters for the running disk: all six limits as the running disk will
 * have them (0 lifts one), so nothing left from before conflicts with the new ones.
 */
export function liveIotune(running: XmlElement, input: DiskIotuneInput): Record<string, number> {
  const merged = mergedLimits(running, iotunePatch(input));
  checkCombination(merged, 'The running disk limits');
  const limits: Record<string, number> = {};
  for (const name of Object.values(IOTUNE_NAMES)) limits[name] = merged[name] ?? 0;
  return limits;
}

function direction(value: BandwidthInput['inbound']): BandwidthPatch | null | undefined {
  if (value === undefined || value === null) return value;
  return {
    average: value.average,
    ...(value.peak !== undefined ? { peak: value.peak } : {}),
    ...(value.burst !== undefined ? { burst: value.burst } : {}),
  };
}

/** The `<bandwidth>` change; a floor already set on inbound stays only if inbound is untouched. */
export function updateBandwidth(nic: XmlElement, input: BandwidthInput): XmlElement {
  const inbound = direction(input.inbound);
  const outbound = direction(input.outbound);
  return xmlEdit('bandwidth', () =>
    setInterfaceBandwidth(nic, {
      ...(inbound !== undefined ? { inbound } : {}),
      ...(outbound !== undefined ? { outbound } : {}),
    }),
  );
}

/** NIC types whose bandwidth libvirt sets on a host device (tc); others keep it for later. */
const SHAPED_TYPES = ['network', 'bridge', 'direct', 'ethernet'];

/** Why libvirt cannot change this running NIC's bandwidth, or undefined when it can. */
export function liveBandwidthBlocker(running: XmlElement): string | undefined {
  const type = readInterface(running).type ?? 'unknown';
  return SHAPED_TYPES.includes(type)
    ? undefined
    : `libvirt shapes bandwidth on network, bridge, direct and ethernet NICs only; this ${type} NIC keeps the limits in its definition`;
}
