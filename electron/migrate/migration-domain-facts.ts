import {
  childElement,
  childElements,
  documentRoot,
  findElement,
  findElements,
  findText,
  getAttribute,
  parseXml,
  replaceChild,
  serializeElement,
  serializeXml,
  setAttribute,
  updateRoot,
  type XmlElement,
} from '../../shared/xml';

/** A disk whose contents would have to be on the destination (writable, with a file). */
export interface MigratableDisk {
  target: string;
  path: string;
  format: string | null;
  /** `file` (a path) or `volume` (pool + volume). */
  sourceType: 'file' | 'block' | 'volume';
}

export interface HostDeviceFact {
  kind: 'host-device' | 'mediated-device';
  description: string;
}

/** What the pre-flight checks read from a domain's XML. */
export interface MigrationDomainFacts {
  name: string;
  domainType: string;
  arch: string | null;
  machine: string | null;
  /** `<cpu>` as written, for CompareHypervisorCPU; null when the VM has none. */
  cpuXml: string | null;
  cpuMode: string | null;
  cpuHasModel: boolean;
  disks: MigratableDisk[];
  hostDevices: HostDeviceFact[];
}

function hostDeviceFact(dev: XmlElement): HostDeviceFact {
  const type = getAttribute(dev, 'type') ?? '?';
  if (type === 'mdev') {
    const uuid = getAttribute(findElement(dev, 'source/address') ?? dev, 'uuid') ?? '';
    return { kind: 'mediated-device', description: `mediated device ${uuid}`.trim() };
  }
  const address = findElement(dev, 'source/address');
  const where = address
    ? ['domain', 'bus', 'slot', 'function', 'device']
        .map((a) => getAttribute(address, a))
        .filter((v): v is string => v !== undefined)
        .join(':')
    : '';
  return { kind: 'host-device', description: `${type} host device ${where}`.trim() };
}

/** Reads the facts from a domain XML (live or inactive). */
export function readMigrationFacts(xml: string): MigrationDomainFacts {
  const root = documentRoot(parseXml(xml));
  const osType = findElement(root, 'os/type');
  const cpu = childElement(root, 'cpu');
  const devices = childElement(root, 'devices');
  const disks: MigratableDisk[] = [];
  const hostDevices: HostDeviceFact[] = [];
  for (const disk of devices ? childElements(devices, 'disk') : []) {
    const device = getAttribute(disk, 'device') ?? 'disk';
    if (device === 'cdrom' || device === 'floppy') continue;
    if (childElement(disk, 'readonly') || childElement(disk, 'shareable')) continue;
    const type = getAttribute(disk, 'type');
    const source = childElement(disk, 'source');
    const target = getAttribute(childElement(disk, 'target') ?? disk, 'dev');
    if (!source || !target) continue;
    const format = getAttribute(childElement(disk, 'driver') ?? disk, 'type') ?? null;
    if (type === 'file' || type === 'block') {
      const path = getAttribute(source, type === 'file' ? 'file' : 'dev');
      if (path) disks.push({ target, path, format, sourceType: type });
    } else if (type === 'volume') {
      const pool = getAttribute(source, 'pool');
      const volume = getAttribute(source, 'volume');
      if (pool && volume)
        disks.push({ target, path: `${pool}/${volume}`, format, sourceType: 'volume' });
    }
  }
  for (const dev of devices ? childElements(devices, 'hostdev') : []) {
    hostDevices.push(hostDeviceFact(dev));
  }
  for (const nic of devices ? findElements(devices, 'interface') : []) {
    if (getAttribute(nic, 'type') === 'hostdev') {
      hostDevices.push({ kind: 'host-device', description: 'SR-IOV network interface (hostdev)' });
    }
  }
  return {
    name: findText(root, 'name') ?? '',
    domainType: getAttribute(root, 'type') ?? 'kvm',
    arch: osType ? (getAttribute(osType, 'arch') ?? null) : null,
    machine: osType ? (getAttribute(osType, 'machine') ?? null) : null,
    cpuXml: cpu ? serializeElement(cpu) : null,
    cpuMode: cpu ? (getAttribute(cpu, 'mode') ?? 'custom') : null,
    cpuHasModel: cpu ? childElement(cpu, 'model') !== undefined : false,
    disks,
    hostDevices,
  };
}

/**
 * The same domain XML with file disks (by target) pointing at new paths: how copied disks
 * land in another folder on the destination. Everything else is left as it was.
 */
export function moveDiskPaths(xml: string, moves: ReadonlyMap<string, string>): string {
  if (moves.size === 0) return xml;
  let changed = false;
  const doc = updateRoot(parseXml(xml), (root) => {
    const devices = childElement(root, 'devices');
    if (!devices) return root;
    let next = devices;
    for (const disk of childElements(devices, 'disk')) {
      if (getAttribute(disk, 'type') !== 'file') continue;
      const target = getAttribute(childElement(disk, 'target') ?? disk, 'dev');
      const path = target ? moves.get(target) : undefined;
      const source = childElement(disk, 'source');
      if (!path || !source) continue;
      changed = true;
      next = replaceChild(
        next,
        disk,
        replaceChild(disk, source, setAttribute(source, 'file', path)),
      );
    }
    return next === devices ? root : replaceChild(root, devices, next);
  });
  // Untouched XML stays byte for byte as libvirt wrote it.
  return changed ? serializeXml(doc) : xml;
}
