import type { VmDisk, VmFirmware } from '../../shared/contract/vms';
import {
  childElement,
  documentRoot,
  findElement,
  findElements,
  getAttribute,
  getText,
  parseXml,
  type XmlElement,
} from '../../shared/xml';
import { readVmTags } from './vm-tags';

/** What the VM list shows that only the domain XML says. */
export interface DomainXmlSummary {
  name: string;
  title: string;
  description: string;
  tags: string[];
  graphics: string[];
  firmware: VmFirmware;
  nvramPath: string | null;
  disks: VmDisk[];
  vcpus: number;
  maxVcpus: number;
  memoryKiB: number;
  maxMemoryKiB: number;
}

// libvirt's scaled-integer units (virScaleInteger), as multiples of one KiB.
const KIB_PER_UNIT: Readonly<Record<string, number>> = {
  b: 1 / 1024,
  bytes: 1 / 1024,
  kb: 1000 / 1024,
  k: 1,
  kib: 1,
  mb: 1e6 / 1024,
  m: 1024,
  mib: 1024,
  gb: 1e9 / 1024,
  g: 1024 ** 2,
  gib: 1024 ** 2,
  tb: 1e12 / 1024,
  t: 1024 ** 3,
  tib: 1024 ** 3,
};

/** `<memory unit='…'>n</memory>` in KiB; 0 when absent or unreadable. */
function memoryKiB(element: XmlElement | undefined): number {
  if (!element) return 0;
  const value = Number((getText(element) ?? '').trim());
  const factor = KIB_PER_UNIT[(getAttribute(element, 'unit') ?? 'KiB').toLowerCase()];
  if (!Number.isFinite(value) || value < 0 || factor === undefined) return 0;
  return Math.floor(value * factor);
}

function text(element: XmlElement | undefined): string {
  return element ? (getText(element) ?? '') : '';
}

function diskOf(disk: XmlElement): VmDisk | null {
  const target = getAttribute(childElement(disk, 'target') ?? disk, 'dev');
  if (!target) return null;
  const type = getAttribute(disk, 'type') ?? 'file';
  const source = childElement(disk, 'source');
  const path =
    source && (type === 'file' || type === 'block' || type === 'dir')
      ? (getAttribute(source, type === 'file' ? 'file' : type === 'block' ? 'dev' : 'dir') ?? null)
      : null;
  const protocol = source && type === 'network' ? getAttribute(source, 'protocol') : undefined;
  return {
    target,
    device: getAttribute(disk, 'device') ?? 'disk',
    type,
    path,
    pool: (type === 'volume' && source && getAttribute(source, 'pool')) || null,
    volume: (type === 'volume' && source && getAttribute(source, 'volume')) || null,
    network: protocol ? `${protocol}:${getAttribute(source!, 'name') ?? ''}` : null,
    readonly: childElement(disk, 'readonly') !== undefined,
    shareable: childElement(disk, 'shareable') !== undefined,
  };
}

function firmwareOf(os: XmlElement | undefined): {
  firmware: VmFirmware;
  nvramPath: string | null;
} {
  if (!os) return { firmware: 'bios', nvramPath: null };
  const loader = childElement(os, 'loader');
  const nvram = childElement(os, 'nvram');
  // The path is the element's text, or (libvirt ≥ 8.5) a <source file=…/> inside it.
  const nvramFile = nvram
    ? ((text(nvram).trim() || getAttribute(childElement(nvram, 'source') ?? nvram, 'file')) ?? '')
    : '';
  const efi =
    getAttribute(os, 'firmware') === 'efi' ||
    (loader !== undefined && getAttribute(loader, 'type') === 'pflash') ||
    nvram !== undefined;
  return { firmware: efi ? 'efi' : 'bios', nvramPath: nvramFile === '' ? null : nvramFile };
}

/** Reads the list's fields from a domain XML document (live or inactive). */
export function readDomainXml(xml: string): DomainXmlSummary {
  const domain = documentRoot(parseXml(xml));
  const vcpu = childElement(domain, 'vcpu');
  const maxVcpus = Number(text(vcpu).trim()) || 0;
  const current = vcpu ? Number(getAttribute(vcpu, 'current')) : NaN;
  const maxMemoryKiB = memoryKiB(childElement(domain, 'memory'));
  const currentMemory = childElement(domain, 'currentMemory');
  return {
    name: text(childElement(domain, 'name')),
    title: text(childElement(domain, 'title')),
    description: text(childElement(domain, 'description')),
    tags: readVmTags(findElement(domain, 'metadata'), domain),
    graphics: findElements(domain, 'devices/graphics')
      .map((g) => getAttribute(g, 'type') ?? '')
      .filter((type) => type !== ''),
    ...firmwareOf(childElement(domain, 'os')),
    disks: findElements(domain, 'devices/disk')
      .map(diskOf)
      .filter((d): d is VmDisk => d !== null),
    vcpus: Number.isInteger(current) && current > 0 ? current : maxVcpus,
    maxVcpus,
    memoryKiB: currentMemory ? memoryKiB(currentMemory) : maxMemoryKiB,
    maxMemoryKiB,
  };
}
