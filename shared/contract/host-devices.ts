import { z } from 'zod';
import { channel } from './channel';

/**
 * The host's USB and PCI devices (libvirt's node devices) that Add Hardware can pass
 * through to a VM as `<hostdev mode='subsystem' managed='yes'>`, and its mediated devices
 * (vGPU and the like) for `<hostdev mode='subsystem' type='mdev'>`.
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

/** The vfio APIs a mediated device type exposes; the hostdev's `model`. */
export const mdevModels = ['vfio-pci', 'vfio-ccw', 'vfio-ap'] as const;
export type MdevModel = (typeof mdevModels)[number];

/** One mediated device type a parent offers (`<capability type='mdev_types'><type>`). */
export interface MdevType {
  /** libvirt's type id, e.g. nvidia-63, i915-GVTg_V5_4, vfio_ccw-io. */
  id: string;
  /** The vendor's name for it ("GRID M60-0B"); null when the driver gives none. */
  name: string | null;
  /** The vfio API (deviceAPI) as libvirt reports it; the hostdev model when it is one of ours. */
  deviceApi: string;
  /** How many more devices of this type the parent can create now; null when unreported. */
  availableInstances: number | null;
}

/** A node device that can host mediated devices: a vGPU-capable GPU, a CSS subchannel, the AP matrix. */
export interface MdevParent {
  /** libvirt's node device name: pci_0000_00_02_0, css_0_0_fffe, ap_matrix. */
  name: string;
  vendor: string | null;
  product: string | null;
  types: MdevType[];
}

/** A mediated device libvirt knows (`<capability type='mdev'>`), defined or running. */
export interface MediatedDevice {
  /** libvirt's node device name, e.g. mdev_d069d019_36ea_4111_8f0a_8c9a70e21366. */
  name: string;
  /** The UUID a hostdev names in `<source><address uuid=…/>`. */
  uuid: string;
  parent: string | null;
  typeId: string;
  /** The type's deviceAPI as the parent lists it; null when the parent is not listed. */
  deviceApi: string | null;
  /** Created (running) or only defined; null when the driver cannot say. */
  active: boolean | null;
}

export interface MdevList {
  parents: MdevParent[];
  devices: MediatedDevice[];
}

/** A node device name or an mdev type id: one token, as libvirt writes them. */
const nodeToken = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(256)
    .regex(/^[A-Za-z0-9_.:-]+$/, `${what} must be a libvirt name (letters, digits, _ . : -)`);

export const hostDeviceChannels = {
  /** USB or PCI devices of the host, read from libvirt's node devices each call. */
  'hostdev:list': channel<HostDeviceSummary[]>()(
    z.object({ connectionId: z.uuid(), kind: z.enum(hostDeviceKinds) }).strict(),
  ),
  /** The host's network interfaces (bridges for bridged NICs, NICs for macvtap), from libvirt. */
  'hostdev:interfaces': channel<HostInterfaceList>()(z.object({ connectionId: z.uuid() }).strict()),
  /** Parents that can host mediated devices (vGPU) and the mediated devices libvirt knows. */
  'hostdev:mdevs': channel<MdevList>()(z.object({ connectionId: z.uuid() }).strict()),
  /**
   * Defines and starts a mediated device of `typeId` on `parent` with this UUID
   * (virNodeDeviceDefineXML + virNodeDeviceCreate, libvirt ≥ 7.3; a transient one on older
   * daemons). A failed start leaves no definition behind.
   */
  'hostdev:createMdev': channel<MediatedDevice>()(
    z
      .object({
        connectionId: z.uuid(),
        parent: nodeToken('The parent device'),
        typeId: nodeToken('The mediated device type'),
        uuid: z.uuid(),
      })
      .strict(),
  ),
};
