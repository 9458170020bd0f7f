import type {
  HostArchitecture,
  HostMachineType,
  NewVmHostInfo,
} from '../../shared/contract/new-vm';
import type { PoolSummary } from '../../shared/contract/storage';
import {
  childElements,
  documentRoot,
  findElement,
  findText,
  getAttribute,
  getText,
  parseXml,
  type XmlElement,
} from '../../shared/xml';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { networkList } from '../libvirt/facade/network';
import {
  connectGetCapabilities,
  connectGetDomainCapabilities,
  connectGetUri,
  nodeGetInfo,
} from '../libvirt/facade/node';

/** What the domain capabilities of one arch/machine/virt type say about a new VM. */
export interface DomainCapsFacts {
  maxVcpus: number | null;
  firmware: NewVmHostInfo['firmware'];
  tpm: NewVmHostInfo['tpm'];
  /** The firmware image paths libvirt offers (pflash loaders). */
  loaders: string[];
}

const X86 = new Set(['x86_64', 'i686']);

/** The guest architectures of a capabilities XML; the host's own first. */
export function readArchitectures(capsXml: string): {
  hostArch: string;
  arches: HostArchitecture[];
} {
  const root = documentRoot(parseXml(capsXml));
  const hostArch = findText(root, 'host/cpu/arch')?.trim() ?? '';
  const byArch = new Map<string, HostArchitecture>();
  for (const guest of childElements(root, 'guest')) {
    if (findText(guest, 'os_type')?.trim() !== 'hvm') continue;
    const archEl = findElement(guest, 'arch');
    const arch = archEl ? getAttribute(archEl, 'name') : undefined;
    if (!archEl || !arch) continue;
    const entry = byArch.get(arch) ?? { arch, domainTypes: [], machines: [], defaultMachine: null };
    for (const d of childElements(archEl, 'domain')) {
      const type = getAttribute(d, 'type');
      if (type && !entry.domainTypes.includes(type)) entry.domainTypes.push(type);
    }
    for (const m of childElements(archEl, 'machine')) {
      const name = getText(m)?.trim();
      if (!name || entry.machines.some((x) => x.name === name)) continue;
      const maxCpus = Number(getAttribute(m, 'maxCpus'));
      entry.machines.push({
        name,
        canonical: getAttribute(m, 'canonical') ?? null,
        maxCpus: Number.isInteger(maxCpus) && maxCpus > 0 ? maxCpus : null,
      });
    }
    entry.defaultMachine = defaultMachine(arch, entry.machines);
    byArch.set(arch, entry);
  }
  // kvm first where offered: it is what a new VM should use.
  for (const a of byArch.values())
    a.domainTypes.sort((x, y) => (x === 'kvm' ? -1 : y === 'kvm' ? 1 : 0));
  const arches = [...byArch.values()].sort((a, b) =>
    a.arch === hostArch ? -1 : b.arch === hostArch ? 1 : a.arch.localeCompare(b.arch),
  );
  return { hostArch: hostArch || (arches[0]?.arch ?? ''), arches };
}

/**
 * q35 on x86 (PCIe, what virt-manager and the guides use for new VMs), else the `virt`
 * board on ARM, else the first machine libvirt lists; the canonical name where it has one.
 */
function defaultMachine(arch: string, machines: readonly HostMachineType[]): string | null {
  const preferred = X86.has(arch) ? 'q35' : arch === 'aarch64' || arch === 'armv7l' ? 'virt' : null;
  const pick = machines.find((m) => m.name === preferred) ?? machines[0];
  if (!pick) return null;
  return pick.canonical ?? pick.name;
}

function enumValues(parent: XmlElement | undefined, name: string): string[] {
  if (!parent) return [];
  const e = childElements(parent, 'enum').find((el) => getAttribute(el, 'name') === name);
  return e ? childElements(e, 'value').map((v) => getText(v)?.trim() ?? '') : [];
}

/** Firmware, TPM and vCPU facts of a domain capabilities XML. */
export function readDomainCapsFacts(domcapsXml: string, arch: string): DomainCapsFacts {
  const root = documentRoot(parseXml(domcapsXml));
  const os = findElement(root, 'os');
  const loader = os ? findElement(os, 'loader') : undefined;
  const loaders = loader
    ? childElements(loader, 'value')
        .map((v) => getText(v)?.trim() ?? '')
        .filter((v) => v !== '')
    : [];
  const firmwareEnum = enumValues(os, 'firmware');
  const efi = firmwareEnum.includes('efi') || loaders.length > 0;
  const tpmEl = findElement(root, 'devices/tpm');
  const tpmSupported = tpmEl !== undefined && getAttribute(tpmEl, 'supported') === 'yes';
  const max = Number(getAttribute(findElement(root, 'vcpu') ?? root, 'max'));
  return {
    maxVcpus: Number.isInteger(max) && max > 0 ? max : null,
    firmware: {
      // SeaBIOS is built into QEMU on x86: libvirt lists only firmware *descriptors*.
      bios: firmwareEnum.includes('bios') || X86.has(arch),
      efi,
      secureBoot: efi && enumValues(loader, 'secure').includes('yes'),
    },
    tpm: {
      emulator: tpmSupported && enumValues(tpmEl, 'backendModel').includes('emulator'),
      versions: tpmSupported ? enumValues(tpmEl, 'backendVersion') : [],
    },
    loaders,
  };
}

/** Everything the wizard needs to know about a host for `arch`/`machine` (defaults: the host's). */
export async function readHostInfo(
  c: LibvirtClient,
  connectionId: string,
  pools: () => Promise<PoolSummary[]>,
  choice: { arch?: string; machine?: string } = {},
): Promise<NewVmHostInfo & { domainType: string; machine: string | null; loaders: string[] }> {
  const [capsXml, node, uri, networks, poolList] = await Promise.all([
    connectGetCapabilities(c),
    nodeGetInfo(c),
    connectGetUri(c),
    networkList(c),
    pools(),
  ]);
  const { hostArch, arches } = readArchitectures(capsXml);
  const arch = choice.arch ?? hostArch;
  const archInfo = arches.find((a) => a.arch === arch);
  const domainType = archInfo?.domainTypes[0] ?? 'qemu';
  const machine = choice.machine ?? archInfo?.defaultMachine ?? null;
  const caps = archInfo
    ? readDomainCapsFacts(
        await connectGetDomainCapabilities(c, {
          arch,
          virttype: domainType,
          ...(machine ? { machine } : {}),
        }),
        arch,
      )
    : null;
  const defaultNet = networks.find((n) => n.name === 'default');
  return {
    connectionId,
    hostArch,
    arches,
    hostMemoryBytes: Number(node.memoryKiB) * 1024,
    hostCpus: node.cpus,
    maxVcpus: caps?.maxVcpus ?? null,
    firmware: caps?.firmware ?? { bios: false, efi: false, secureBoot: false },
    tpm: caps?.tpm ?? { emulator: false, versions: [] },
    defaultNetwork: { defined: defaultNet !== undefined, active: defaultNet?.active ?? false },
    session: isSessionUri(uri),
    pools: poolList,
    domainType,
    machine,
    loaders: caps?.loaders ?? [],
  };
}

function isSessionUri(uri: string): boolean {
  try {
    return new URL(uri).pathname === '/session';
  } catch {
    return /^[a-z+]+:\/\/[^/]*\/session\b/.test(uri);
  }
}
