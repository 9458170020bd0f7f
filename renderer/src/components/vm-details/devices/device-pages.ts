import type { Component } from 'vue';
import DiskDevicePage from './DiskDevicePage.vue';
import GenericDevicePage from './GenericDevicePage.vue';
import GraphicsDevicePage from './GraphicsDevicePage.vue';
import HostdevDevicePage from './HostdevDevicePage.vue';
import NicDevicePage from './NicDevicePage.vue';

/** Device kinds with a form of their own; disks cover CD-ROMs and floppies too. */
const PAGES: Readonly<Record<string, Component>> = {
  disk: DiskDevicePage,
  interface: NicDevicePage,
  graphics: GraphicsDevicePage,
  /** Mediated devices get their own facts; USB/PCI fall back to the generic page inside. */
  hostdev: HostdevDevicePage,
};

/**
 * The page for a device of the kind `listDevices` names (the element name). Every device
 * gets one: those without a form show their attributes and their XML to edit. Null only for
 * what is no device at all.
 */
export function devicePageFor(kind: string): Component | null {
  if (!kind || kind === 'emulator') return null;
  return PAGES[kind] ?? GenericDevicePage;
}
