import { z } from 'zod';
import { channel } from './channel';

/**
 * The host's USB and PCI devices (libvirt's node devices) that Add Hardware can pass
 * through to a VM as `<hostdev mode='subsystem' managed='yes'>`.
 */

export const hostDeviceKinds = ['usb', 'pci'] as const;
export type HostDeviceKind = (typeof hostDeviceKinds)[number];

export interface HostDeviceSummary {
  /** libvirt's node device name, e.g. pci_0000_00_1f_3, usb_1_2. */
  name: string;
  kind: HostDeviceKind;
  /** Vendor and product as the host's ID database names them; null when unnamed. */
  vendor: string | null;
  product: string | null;
  /** Hex ids as libvirt writes them: 0x8086. */
  vendorId: string | null;
  productId: string | null;
  /** The host driver bound now (vfio-pci once passed through), when any. */
  driver: string | null;
  /** PCI: where the device sits, as numbers (domain, bus, slot, function). */
  pci?: { domain: number; bus: number; slot: number; function: number };
  /** USB: bus and device number. */
  usb?: { bus: number; device: number };
}

/**
 * One network interface of the host, merged from libvirt's node devices of capability
 * 'net' (name, MAC, link; always present on a QEMU driver) and its interface backend
 * (type, bridge members, active; missing in some unprivileged daemons).
 */
export interface HostInterface {
  name: string;
  mac: string | null;
  /** Link state as libvirt reports it ('up', 'down', 'unknown', …); null when unreported. */
  link: string | null;
  /** Mb/s, when the driver knows it. */
  speedMbps: number | null;
  /** Interface backend's view: active (up) or not; null when the backend did not answer. */
  active: boolean | null;
  /** 'bridge', 'ethernet', 'bond', 'vlan' from the interface XML; null when unknown. */
  type: string | null;
  /** True/false from the interface XML; null when the interface backend did not answer. */
  bridge: boolean | null;
  /** A bridge's ports as the interface XML lists them (empty when none or unknown). */
  members: string[];
}

/** Which of the two libvirt sources failed, with libvirt's message, so the UI can say so. */
export interface HostInterfaceSourceProblem {
  source: 'node-devices' | 'interfaces';
  message: string;
  /** libvirt's error code (virErrorNumber) when libvirt refused; null for other failures. */
  code: number | null;
}

export interface HostInterfaceList {
  interfaces: HostInterface[];
  /** Empty when both sources answered; both failing is an error, not a list. */
  unavailable: HostInterfaceSourceProblem[];
}

export const hostDeviceChannels = {
  /** USB or PCI devices of the host, read from libvirt's node devices each call. */
  'hostdev:list': channel<HostDeviceSummary[]>()(
    z.object({ connectionId: z.uuid(), kind: z.enum(hostDeviceKinds) }).strict(),
  ),
  /** The host's network interfaces (bridges for bridged NICs, NICs for macvtap), from libvirt. */
  'hostdev:interfaces': channel<HostInterfaceList>()(z.object({ connectionId: z.uuid() }).strict()),
};
