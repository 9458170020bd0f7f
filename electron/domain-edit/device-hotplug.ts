import { childElements, readDisk, removeChild, type XmlElement } from '../../shared/xml';

/**
 * Why a device cannot be attached to or detached from a running VM, or undefined when it can
 * (QEMU hot-plug as libvirt offers it: NICs, host devices, USB redirection, and disks on a
 * bus with hot-plug — virtio, SCSI, USB). Everything else waits for the next start.
 */
export function hotplugBlocker(device: XmlElement): string | undefined {
  switch (device.name) {
    case 'interface':
    case 'hostdev':
    case 'redirdev':
      return undefined;
    case 'disk': {
      const disk = readDisk(device);
      if (disk.device === 'cdrom' || disk.device === 'floppy') {
        return 'A CD-ROM or floppy drive cannot be hot-plugged (only its medium changes live)';
      }
      const bus = disk.target.bus ?? '';
      if (['sata', 'ide', 'fdc', 'sd'].includes(bus)) {
        return `A disk on the ${bus} bus cannot be hot-plugged (virtio, SCSI and USB disks can)`;
      }
      return undefined;
    }
    default:
      return `A ${device.name} device cannot be hot-plugged`;
  }
}

/**
 * The device without what the persistent definition pinned for itself (guest address, alias),
 * so the running VM places it where it has room.
 */
export function forLiveAttach(device: XmlElement): XmlElement {
  let next = device;
  for (const child of childElements(device)) {
    if (child.name === 'address' || child.name === 'alias') next = removeChild(next, child);
  }
  return next;
}
