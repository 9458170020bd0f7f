import type { OsEntry } from '../../../shared/contract/new-vm';
import type { OsinfoRecord, OsinfoResources } from './osinfo-record';

// PCI ids osinfo uses for virtio devices: the legacy (transitional) and the virtio 1.0 ones.
const VIRTIO_BLOCK = ['http://pcisig.com/pci/1af4/1001', 'http://pcisig.com/pci/1af4/1042'];
const VIRTIO_NET = ['http://pcisig.com/pci/1af4/1000', 'http://pcisig.com/pci/1af4/1041'];

/** The arch we prefer figures for; 'all' is osinfo's arch-independent block. */
const PREFERRED_ARCHES = ['x86_64', 'all'];

type Lookup = (id: string) => OsinfoRecord | undefined;

/**
 * An osinfo record with what it inherits resolved. osinfo lists a device once, on the oldest
 * release that has it; newer ones inherit through `<derives-from>`/`<upgrades>` (libosinfo's
 * "all devices"), and may withdraw one with supported="false". Resources and firmware are
 * taken from the nearest ancestor that states any, so a release that says nothing still
 * gets its family's figures.
 */
export function resolveOsEntry(record: OsinfoRecord, lookup: Lookup, today: string): OsEntry {
  const devices = inheritedDevices(record, lookup, new Set());
  const has = (ids: readonly string[]): boolean => ids.some((id) => devices.get(id) === true);
  const resources = nearest(record, lookup, (r) => pickResources(r));
  const efi = nearest(record, lookup, (r) => efiSupport(r)) ?? 'unknown';
  const windows = record.family === 'winnt';
  // osinfo-db (as of 2022) does not state TPM or Secure Boot needs. Windows 11 is the NT
  // release that requires UEFI (bios supported="false"); Microsoft requires TPM 2.0 and
  // Secure Boot capability for it, and osinfo marks no other OS that way.
  const modernWindows = windows && efi === 'required';
  const pick = (values: OsinfoResources | undefined, fallback?: OsinfoResources) => ({
    memoryBytes: values?.memoryBytes ?? fallback?.memoryBytes ?? null,
    vcpus: values?.vcpus ?? fallback?.vcpus ?? null,
    diskBytes: values?.diskBytes ?? fallback?.diskBytes ?? null,
  });
  const minimum = pick(resources?.minimum);
  const recommended = pick(resources?.recommended, resources?.minimum);
  const maximum = pick(resources?.maximum);
  return {
    id: record.id,
    shortId: record.shortIds[0] ?? record.id,
    name: record.name || record.id,
    vendor: record.vendor,
    family: record.family,
    distro: record.distro,
    version: record.version,
    releaseDate: record.releaseDate,
    eol: record.eolDate !== null && record.eolDate < today,
    recommended,
    minimum,
    maximum: { memoryBytes: maximum.memoryBytes, vcpus: maximum.vcpus },
    virtioDisk: has(VIRTIO_BLOCK),
    virtioNet: has(VIRTIO_NET),
    efi,
    secureBoot: modernWindows,
    tpm: modernWindows,
    windows,
    treeUrls: nearest(record, lookup, (r) => (r.trees.length > 0 ? r.trees : undefined)) ?? [],
    cloudImageUrls: record.images
      .filter((i) => i.cloudInit)
      .map(({ arch, url }) => ({ arch, url })),
  };
}

function inheritedDevices(
  record: OsinfoRecord,
  lookup: Lookup,
  seen: Set<string>,
): Map<string, boolean> {
  // A malformed database could loop; each record is visited once.
  if (seen.has(record.id)) return new Map();
  seen.add(record.id);
  const out = new Map<string, boolean>();
  for (const parentId of record.parents) {
    const parent = lookup(parentId);
    if (!parent) continue;
    for (const [id, supported] of inheritedDevices(parent, lookup, seen)) {
      if (!out.has(id) || supported) out.set(id, supported);
    }
  }
  for (const [id, supported] of record.devices) out.set(id, supported);
  return out;
}

/** The first value `read` finds on the record, else breadth-first up its ancestors. */
function nearest<T>(
  record: OsinfoRecord,
  lookup: Lookup,
  read: (r: OsinfoRecord) => T | undefined,
): T | undefined {
  const queue = [record];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || seen.has(current.id)) continue;
    seen.add(current.id);
    const value = read(current);
    if (value !== undefined) return value;
    for (const p of current.parents) {
      const parent = lookup(p);
      if (parent) queue.push(parent);
    }
  }
  return undefined;
}

function pickResources(r: OsinfoRecord) {
  for (const arch of PREFERRED_ARCHES) {
    const found = r.resources.get(arch);
    if (found) return found;
  }
  return undefined;
}

function efiSupport(r: OsinfoRecord): OsEntry['efi'] | undefined {
  const forArch = r.firmware.filter((f) => PREFERRED_ARCHES.includes(f.arch));
  const efi = forArch.find((f) => f.type === 'efi');
  if (!efi) return undefined;
  if (!efi.supported) return 'unsupported';
  const biosRefused = forArch.some((f) => f.type === 'bios' && !f.supported);
  return biosRefused ? 'required' : 'supported';
}
