/** Choices the device forms offer, as libvirt spells them. */

export const diskBuses = ['virtio', 'sata', 'scsi', 'ide', 'usb', 'fdc', 'sd'] as const;
export type DiskBusChoice = (typeof diskBuses)[number];

export const diskCaches = [
  'default',
  'none',
  'writethrough',
  'writeback',
  'directsync',
  'unsafe',
] as const;
export type DiskCacheChoice = (typeof diskCaches)[number];

export const diskIoModes = ['threads', 'native', 'io_uring'] as const;
export type DiskIoChoice = (typeof diskIoModes)[number];

export const diskDiscards = ['unmap', 'ignore'] as const;
export type DiskDiscardChoice = (typeof diskDiscards)[number];

/** The NIC models QEMU guests commonly use; the field also takes any other name. */
export const nicModels = ['virtio', 'e1000e', 'e1000', 'rtl8139', 'ne2k_pci', 'pcnet'] as const;

export const macvtapModes = ['vepa', 'bridge', 'private', 'passthrough'] as const;
export type MacvtapMode = (typeof macvtapModes)[number];

export const keymaps = [
  'en-us',
  'en-gb',
  'de',
  'de-ch',
  'fr',
  'fr-ch',
  'es',
  'it',
  'ja',
  'pt',
  'pt-br',
  'ru',
  'sv',
  'no',
  'da',
  'fi',
  'nl',
  'pl',
  'tr',
] as const;

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** Null when the MAC is fine for a NIC (unicast), else why not. */
export function macProblem(mac: string): 'format' | 'multicast' | null {
  if (!MAC_RE.test(mac)) return 'format';
  return parseInt(mac.slice(0, 2), 16) & 1 ? 'multicast' : null;
}

/** Nullable select fields use '' for "libvirt's default" (Vuetify selects dislike null). */
export function orNull<T extends string>(value: T | ''): T | null {
  return value === '' ? null : value;
}
