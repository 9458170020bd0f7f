import {
  BOOTABLE_DEVICE_KINDS,
  getAttribute,
  listDevices,
  readDeviceBootOrder,
  readOsBoot,
  type XmlDocument,
} from '../../../../shared/xml';
import { deviceNavItem, type DeviceNavItem } from './details-nav';

/** A device in the Boot options list: on (boots, in list order) or off. */
export interface BootCandidate extends DeviceNavItem {
  enabled: boolean;
}

/** The device class `<os><boot dev>` uses for a device. */
function bootClass(kind: string, device: string | undefined): string | null {
  if (kind === 'interface') return 'network';
  if (kind !== 'disk') return null;
  if (device === 'cdrom') return 'cdrom';
  if (device === 'floppy') return 'fd';
  return 'hd';
}

/**
 * The disks, CD-ROMs and NICs (and other bootable devices) in boot order, as virt-manager's
 * list shows them: per-device `<boot order>` when there is one; otherwise the `<os><boot dev>`
 * classes in their order (every device of a listed class on), then the rest off.
 */
export function bootCandidates(doc: XmlDocument): BootCandidate[] {
  const devices = listDevices(doc).filter(
    (d) => BOOTABLE_DEVICE_KINDS.includes(d.kind) && (d.kind === 'disk' || d.kind === 'interface'),
  );
  const perDevice = readDeviceBootOrder(doc);
  const rank = new Map<string, number>();
  if (perDevice.length > 0) {
    perDevice.forEach((p, i) => rank.set(p.id, i));
  } else {
    const classes = readOsBoot(doc).bootDevices;
    devices.forEach((d, i) => {
      const at = classes.indexOf(bootClass(d.kind, getAttribute(d.element, 'device')) ?? '');
      // Within a class, document order, as QEMU tries them.
      if (at >= 0) rank.set(d.id, at * 1000 + i);
    });
  }
  const on = devices
    .filter((d) => rank.has(d.id))
    .sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
  const off = devices.filter((d) => !rank.has(d.id));
  return [
    ...on.map((d) => ({ ...deviceNavItem(d), enabled: true })),
    ...off.map((d) => ({ ...deviceNavItem(d), enabled: false })),
  ];
}

/** The ids to send as `deviceBootOrder`: the enabled ones, in list order. */
export function bootOrderIds(list: readonly BootCandidate[]): string[] {
  return list.filter((c) => c.enabled).map((c) => c.id);
}
