import type { NewVmSpec, OsEntry } from '../../../shared/contract/new-vm';
import {
  deviceChoices,
  diskXml,
  graphicsXml,
  interfaceXml,
  pcieRootPorts,
  standardDevices,
  tpmXml,
} from './device-xml';
import type { NewVmDisk } from './new-vm-disk';
import { el } from './xml-text';

export const LIBOSINFO_NS = 'http://libosinfo.org/xmlns/libvirt/domain/1.0';

export interface DomainXmlInput {
  spec: NewVmSpec;
  uuid: string;
  os: OsEntry | null;
  /** `kvm` where the host offers it, else `qemu`. */
  domainType: string;
  /** The machine type to write (the spec's, else the host's default). */
  machine: string | null;
  disks: readonly NewVmDisk[];
  /** Network-tree installs: the kernel and initrd (host paths) and the kernel arguments. */
  kernelBoot?: { kernel: string; initrd: string; cmdline: string };
}

/**
 * The domain XML of a new VM. With `kernelBoot` this is the *install* XML: the same VM
 * booting the tree's kernel once, stopping at the installer's reboot (`on_reboot` destroy)
 * so it comes back with the persistent definition, which has no kernel boot (virt-install
 * does the same).
 */
export function buildDomainXml(input: DomainXmlInput): string {
  const { spec, os } = input;
  const choices = deviceChoices(input.machine, os);
  const windows = os?.windows ?? false;
  // Hyper-V enlightenments are KVM's: QEMU's TCG refuses them (vpindex, synic …).
  const kvm = input.domainType === 'kvm';
  const memoryKiB = Math.ceil(spec.memoryBytes / 1024);
  const devices = [
    ...diskXml(input.disks, choices),
    ...(spec.network ? [interfaceXml(spec.network, choices.nicModel)] : []),
    ...graphicsXml(spec, os),
    ...standardDevices(),
    ...(spec.tpm ? [tpmXml()] : []),
  ];
  if (choices.q35) {
    const virtioDisks = input.disks.filter(
      (d) => d.device === 'disk' && choices.diskBus === 'virtio',
    );
    // USB, virtio-serial, rng, balloon, video, NIC: each a PCIe device on its own port.
    devices.unshift(...pcieRootPorts(virtioDisks.length + 6));
  }
  const children = [
    el('name', {}, spec.name),
    el('uuid', {}, input.uuid),
    ...(spec.title ? [el('title', {}, spec.title)] : []),
    ...(os ? [metadataXml(os.id)] : []),
    el('memory', { unit: 'KiB' }, String(memoryKiB)),
    el('currentMemory', { unit: 'KiB' }, String(memoryKiB)),
    el('vcpu', { placement: 'static' }, String(spec.vcpus)),
    osXml(input),
    featuresXml(spec, windows && kvm),
    // host-passthrough gives the guest the host's CPU; TCG cannot pass a CPU through.
    ...(input.domainType === 'kvm'
      ? [el('cpu', { mode: 'host-passthrough', check: 'none', migratable: 'on' })]
      : []),
    clockXml(windows, kvm),
    el('on_poweroff', {}, 'destroy'),
    el('on_reboot', {}, input.kernelBoot ? 'destroy' : 'restart'),
    el('on_crash', {}, 'destroy'),
    el('pm', {}, [
      el('suspend-to-mem', { enabled: 'no' }),
      el('suspend-to-disk', { enabled: 'no' }),
    ]),
    el('devices', {}, devices),
  ];
  return `${el('domain', { type: input.domainType }, children)}\n`;
}

function metadataXml(osId: string): string {
  return el('metadata', {}, [
    el('libosinfo:libosinfo', { 'xmlns:libosinfo': LIBOSINFO_NS }, [
      el('libosinfo:os', { id: osId }),
    ]),
  ]);
}

function osXml(input: DomainXmlInput): string {
  const { spec } = input;
  const efi = spec.firmware === 'efi';
  const children = [el('type', { arch: spec.arch, machine: input.machine ?? undefined }, 'hvm')];
  if (efi) {
    // Firmware auto-selection from the host's descriptors: secure-boot picks (or refuses)
    // the Secure Boot build; enrolled-keys asks for the Microsoft keys Windows needs.
    children.push(
      el('firmware', {}, [
        el('feature', { enabled: spec.secureBoot ? 'yes' : 'no', name: 'secure-boot' }),
        el('feature', { enabled: spec.secureBoot ? 'yes' : 'no', name: 'enrolled-keys' }),
      ]),
    );
  }
  if (input.kernelBoot) {
    children.push(
      el('kernel', {}, input.kernelBoot.kernel),
      el('initrd', {}, input.kernelBoot.initrd),
      el('cmdline', {}, input.kernelBoot.cmdline),
    );
  } else {
    for (const dev of bootOrder(spec, input.disks)) children.push(el('boot', { dev }));
  }
  return el('os', { firmware: efi ? 'efi' : undefined }, children);
}

/** Install media and PXE boot first; the system disk after them so the installed system boots next. */
function bootOrder(spec: NewVmSpec, disks: readonly NewVmDisk[]): string[] {
  const order: string[] = [];
  if (spec.method.kind === 'media') order.push('cdrom');
  if (spec.method.kind === 'pxe') order.push('network');
  if (disks.some((d) => d.device === 'disk')) order.push('hd');
  if (order.length === 0) order.push('hd');
  return order;
}

function featuresXml(spec: NewVmSpec, hyperv: boolean): string {
  const x86 = spec.arch === 'x86_64' || spec.arch === 'i686';
  // APIC and VMware's I/O port exist on x86 only.
  const features = x86 ? [el('acpi'), el('apic')] : [el('acpi')];
  if (hyperv) {
    // The guides' Hyper-V enlightenments: Windows runs them as on Hyper-V, with far fewer
    // exits (timers, APIC, spinlocks). stimer needs synic and vpindex, all listed.
    features.push(
      el('hyperv', { mode: 'custom' }, [
        el('relaxed', { state: 'on' }),
        el('vapic', { state: 'on' }),
        el('spinlocks', { state: 'on', retries: 8191 }),
        el('vpindex', { state: 'on' }),
        el('runtime', { state: 'on' }),
        el('synic', { state: 'on' }),
        el('stimer', { state: 'on' }),
        el('frequencies', { state: 'on' }),
      ]),
    );
  }
  // Secure Boot firmware only works with SMM, so the OS cannot rewrite its variables.
  if (spec.firmware === 'efi' && spec.secureBoot) features.push(el('smm', { state: 'on' }));
  // vmport is a VMware backdoor nothing but VMware tools uses; off, as virt-manager does.
  if (x86) features.push(el('vmport', { state: 'off' }));
  return el('features', {}, features);
}

function clockXml(windows: boolean, kvm: boolean): string {
  const timers = [
    el('timer', { name: 'rtc', tickpolicy: 'catchup' }),
    el('timer', { name: 'pit', tickpolicy: 'delay' }),
    el('timer', { name: 'hpet', present: 'no' }),
  ];
  // Windows keeps its RTC in local time; hypervclock is its paravirtual clock.
  if (windows && kvm) timers.push(el('timer', { name: 'hypervclock', present: 'yes' }));
  return el('clock', { offset: windows ? 'localtime' : 'utc' }, timers);
}
