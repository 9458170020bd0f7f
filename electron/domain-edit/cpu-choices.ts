import type { CpuChoices } from '../../shared/contract/domain-edit';
import { parseXml, readDomainOverview } from '../../shared/xml';
import { readCpuCapabilities } from '../../shared/xml/domain/domain-cpu-capabilities';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { connectGetDomainCapabilities } from '../libvirt/facade/node';

/**
 * The CPU choices for one VM: domain capabilities asked for the VM's own emulator, arch,
 * machine and virt type, because models differ between them (TCG offers models KVM cannot).
 */
export async function cpuChoices(c: LibvirtClient, domainXml: string): Promise<CpuChoices> {
  const o = readDomainOverview(parseXml(domainXml));
  const caps = await connectGetDomainCapabilities(c, {
    ...(o.emulator !== undefined ? { emulatorbin: o.emulator } : {}),
    ...(o.arch !== undefined ? { arch: o.arch } : {}),
    ...(o.machine !== undefined ? { machine: o.machine } : {}),
    ...(o.hypervisor !== undefined ? { virttype: o.hypervisor } : {}),
  });
  const cpu = readCpuCapabilities(parseXml(caps));
  const rank = { yes: 0, unknown: 1, no: 2 } as const;
  const models = cpu.custom
    ? [...cpu.models]
        .sort((a, b) => rank[a.usable] - rank[b.usable])
        .map((m) => ({
          name: m.name,
          usable: m.usable,
          ...(m.vendor !== undefined ? { vendor: m.vendor } : {}),
        }))
    : [];
  return {
    hostPassthrough: cpu.hostPassthrough,
    hostModel: cpu.hostModel,
    ...(cpu.hostModelName !== undefined ? { hostModelName: cpu.hostModelName } : {}),
    maximum: cpu.maximum,
    models,
  };
}
