import {
  mdiChip,
  mdiConsole,
  mdiDesktopClassic,
  mdiDisc,
  mdiExpansionCard,
  mdiFloppy,
  mdiFolderNetworkOutline,
  mdiHarddisk,
  mdiInformationOutline,
  mdiKeyboard,
  mdiLan,
  mdiMemory,
  mdiMonitor,
  mdiMouse,
  mdiPowerSettings,
  mdiRestart,
  mdiShieldKeyOutline,
  mdiUsb,
  mdiVolumeHigh,
  mdiPuzzleOutline,
} from '@mdi/js';
import {
  childElements,
  domainRoot,
  getAttribute,
  localName,
  type DeviceEntry,
  type XmlDocument,
} from '../../../../shared/xml';

/** The fixed pages before the devices, in virt-manager's order. */
export const generalPages = ['overview', 'os', 'cpus', 'memory', 'boot'] as const;
export type GeneralPage = (typeof generalPages)[number];

export const generalPageIcons: Record<GeneralPage, string> = {
  overview: mdiInformationOutline,
  os: mdiDesktopClassic,
  cpus: mdiChip,
  memory: mdiMemory,
  boot: mdiPowerSettings,
};

/** One device in the left list: what to call it and how it looks. */
export interface DeviceNavItem {
  id: string;
  /** The element name (disk, interface, …): what `devicePageFor` is asked for. */
  kind: string;
  /** The label key under `vmWindow.device`; disks split into disk / cdrom / floppy. */
  labelKind: string;
  /** What tells two devices of a kind apart: target, MAC, type, or the position. */
  detail: string;
  icon: string;
}

const ICONS: Record<string, string> = {
  disk: mdiHarddisk,
  cdrom: mdiDisc,
  floppy: mdiFloppy,
  interface: mdiLan,
  graphics: mdiMonitor,
  video: mdiMonitor,
  sound: mdiVolumeHigh,
  audio: mdiVolumeHigh,
  serial: mdiConsole,
  console: mdiConsole,
  parallel: mdiConsole,
  channel: mdiConsole,
  controller: mdiExpansionCard,
  hostdev: mdiUsb,
  redirdev: mdiUsb,
  filesystem: mdiFolderNetworkOutline,
  tpm: mdiShieldKeyOutline,
  watchdog: mdiRestart,
  memballoon: mdiMemory,
  rng: mdiChip,
};

function inputIcon(entry: DeviceEntry): string {
  return getAttribute(entry.element, 'type') === 'keyboard' ? mdiKeyboard : mdiMouse;
}

/** How the Details list shows a device of the persistent definition. */
export function deviceNavItem(entry: DeviceEntry): DeviceNavItem {
  let labelKind = entry.kind;
  if (entry.kind === 'disk') {
    const device = getAttribute(entry.element, 'device');
    if (device === 'cdrom' || device === 'floppy') labelKind = device;
  }
  const type = getAttribute(entry.element, 'type') ?? getAttribute(entry.element, 'model');
  const detail = entry.key ?? type ?? String(entry.ordinal + 1);
  const icon = entry.kind === 'input' ? inputIcon(entry) : (ICONS[labelKind] ?? mdiPuzzleOutline);
  return { id: entry.id, kind: entry.kind, labelKind, detail, icon };
}

/** The list with the item at `index` moved one place up (-1) or down (+1); a copy. */
export function moveItem<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  const out = [...list];
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return out;
  [out[index], out[to]] = [out[to] as T, out[index] as T];
  return out;
}

/** Whether a pending change concerns one of the parts a field shows. */
export function isPending(pending: readonly { part: string }[], parts: readonly string[]): boolean {
  return pending.some((p) => parts.includes(p.part));
}

/** MiB as the memory fields show it, from libvirt's KiB (rounded down: never more than set). */
export function kibToMiB(kib: number | undefined): number | null {
  return kib === undefined ? null : Math.floor(kib / 1024);
}

/** The chipset a machine type stands for, as virt-manager names it. */
export function chipsetOf(machine: string | undefined): string | null {
  if (!machine) return null;
  if (/q35/.test(machine)) return 'Q35';
  if (machine === 'pc' || /i440fx/.test(machine)) return 'i440FX';
  return machine;
}

/**
 * The OS the VM was made for, as virt-install and virt-manager record it:
 * `<metadata><libosinfo:libosinfo><libosinfo:os id="http://…/fedora38"/>`.
 */
export function libosinfoId(doc: XmlDocument): string | null {
  const metadata = childElements(domainRoot(doc), 'metadata')[0];
  if (!metadata) return null;
  for (const holder of childElements(metadata)) {
    if (localName(holder.name) !== 'libosinfo') continue;
    const os = childElements(holder).find((el) => localName(el.name) === 'os');
    const id = os && getAttribute(os, 'id');
    if (id) return id;
  }
  return null;
}
