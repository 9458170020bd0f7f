import type { InterfaceSourceInput } from '../../../shared/contract/domain-edit';
import type { NewVmSpec, OsEntry } from '../../../shared/contract/new-vm';
import type { NewVmDisk } from './new-vm-disk';
import { el } from './xml-text';

/** Choices that depend on the machine type and the OS, made once for every device. */
export interface DeviceChoices {
  q35: boolean;
  diskBus: 'virtio' | 'sata' | 'ide';
  cdromBus: 'sata' | 'ide';
  nicModel: 'virtio' | 'e1000e' | 'e1000';
}

export function deviceChoices(machine: string | null, os: OsEntry | null): DeviceChoices {
  const q35 = machine !== null && /q35/.test(machine);
  // Without osinfo's word, virtio is assumed: the generic entries are modern systems and
  // "other" sets virtioDisk false itself.
  const virtioDisk = os?.virtioDisk ?? true;
  const virtioNet = os?.virtioNet ?? true;
  // i440fx has no AHCI by default; IDE is what its installers expect there.
  const legacyBus = q35 ? 'sata' : 'ide';
  return {
    q35,
    diskBus: virtioDisk ? 'virtio' : legacyBus,
    cdromBus: legacyBus,
    nicModel: virtioNet ? 'virtio' : q35 ? 'e1000e' : 'e1000',
  };
}

const TARGET_PREFIX = { virtio: 'vd', sata: 'sd', ide: 'hd' } as const;

/** The `<disk>` elements; target names counted per bus (vda, sda, sdb …). */
export function diskXml(disks: readonly NewVmDisk[], choices: DeviceChoices): string[] {
  const used = { virtio: 0, sata: 0, ide: 0 };
  return disks.map((d) => {
    const bus = d.device === 'cdrom' ? choices.cdromBus : choices.diskBus;
    const dev = `${TARGET_PREFIX[bus]}${String.fromCharCode(97 + used[bus]++)}`;
    const source =
      d.source.kind === 'volume'
        ? el('source', { pool: d.source.pool, volume: d.source.volume })
        : el('source', { file: d.source.path });
    return el('disk', { type: d.source.kind === 'volume' ? 'volume' : 'file', device: d.device }, [
      // discard='unmap' lets a guest's TRIM shrink sparse images.
      el('driver', {
        name: 'qemu',
        type: d.format,
        discard: d.device === 'disk' ? 'unmap' : undefined,
      }),
      source,
      el('target', { dev, bus }),
      ...(d.device === 'cdrom' ? [el('readonly')] : []),
    ]);
  });
}

export function interfaceXml(network: InterfaceSourceInput, model: string): string {
  const model_ = el('model', { type: model });
  switch (network.type) {
    case 'network':
      return el('interface', { type: 'network' }, [
        el('source', { network: network.network, portgroup: network.portgroup }),
        model_,
      ]);
    case 'bridge':
      return el('interface', { type: 'bridge' }, [
        el('source', { bridge: network.bridge }),
        model_,
      ]);
    case 'direct':
      return el('interface', { type: 'direct' }, [
        el('source', { dev: network.dev, mode: network.mode ?? 'vepa' }),
        model_,
      ]);
    case 'user':
      return el('interface', { type: 'user' }, [model_]);
  }
}

/**
 * Graphics on loopback only (the console reaches it through libvirt or an SSH tunnel), a
 * video model, and a USB tablet so the pointer follows the client's.
 *
 * Video: virtio-gpu for Linux (inbox driver, any resolution); QXL for Windows with SPICE
 * (its driver is on the virtio-win ISO the preset offers); plain VGA (bochs-compatible)
 * otherwise, which every firmware and installer can draw on.
 */
export function graphicsXml(spec: Pick<NewVmSpec, 'graphics'>, os: OsEntry | null): string[] {
  if (spec.graphics === 'none') return [];
  const listen = [el('listen', { type: 'address', address: '127.0.0.1' })];
  const graphics = el(
    'graphics',
    { type: spec.graphics, port: -1, autoport: 'yes', listen: '127.0.0.1' },
    spec.graphics === 'spice' ? [...listen, el('image', { compression: 'off' })] : listen,
  );
  const linux = os === null || os.family === 'linux';
  const video = linux ? 'virtio' : os.windows && spec.graphics === 'spice' ? 'qxl' : 'vga';
  const out = [graphics, el('video', {}, [el('model', { type: video })])];
  out.push(el('input', { type: 'tablet', bus: 'usb' }));
  if (spec.graphics === 'spice') {
    // The SPICE agent channel: clipboard and display resizing with spice-vdagent.
    out.push(
      el('channel', { type: 'spicevmc' }, [
        el('target', { type: 'virtio', name: 'com.redhat.spice.0' }),
      ]),
    );
  }
  return out;
}

/** Serial console, guest agent channel, entropy source, balloon; and the USB controller. */
export function standardDevices(): string[] {
  return [
    el('controller', { type: 'usb', model: 'qemu-xhci', ports: 15 }),
    el('serial', { type: 'pty' }, [el('target', { port: 0 })]),
    el('console', { type: 'pty' }, [el('target', { type: 'serial', port: 0 })]),
    el('channel', { type: 'unix' }, [
      el('target', { type: 'virtio', name: 'org.qemu.guest_agent.0' }),
    ]),
    el('rng', { model: 'virtio' }, [el('backend', { model: 'random' }, '/dev/urandom')]),
    el('memballoon', { model: 'virtio' }),
  ];
}

/**
 * Empty PCIe root ports on q35: libvirt adds ports for the devices the XML names, but a
 * device hot-plugged later needs a free one. virt-manager leaves 14 in total; we leave 8
 * free beyond what the devices take, which is enough for a NIC or disk or two at a time.
 */
export function pcieRootPorts(devicesNeedingPorts: number): string[] {
  const total = devicesNeedingPorts + 8;
  return [
    el('controller', { type: 'pci', model: 'pcie-root' }),
    ...Array.from({ length: total }, () =>
      el('controller', { type: 'pci', model: 'pcie-root-port' }),
    ),
  ];
}

export function tpmXml(): string {
  return el('tpm', { model: 'tpm-crb' }, [el('backend', { type: 'emulator', version: '2.0' })]);
}
