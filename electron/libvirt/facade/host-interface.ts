import {
  VIR_CONNECT_LIST_INTERFACES_ACTIVE,
  VIR_CONNECT_LIST_INTERFACES_INACTIVE,
} from '../protocol/constants.gen';
import type { LibvirtClient } from '../client/libvirt-client';

/** One host interface as libvirt's interface backend (netcf/udev) lists it. */
export interface HostInterfaceRef {
  name: string;
  /** Empty when the backend knows no MAC (libvirt sends ''). */
  mac: string;
  active: boolean;
}

/** Every host interface with its state, like `virsh iface-list --all`. */
export async function interfaceList(c: LibvirtClient): Promise<HostInterfaceRef[]> {
  // Two lists (active, inactive) rather than one call per interface for its state.
  const [active, inactive] = await Promise.all([
    c.remote.connectListAllInterfaces({
      need_results: 1,
      flags: VIR_CONNECT_LIST_INTERFACES_ACTIVE,
    }),
    c.remote.connectListAllInterfaces({
      need_results: 1,
      flags: VIR_CONNECT_LIST_INTERFACES_INACTIVE,
    }),
  ]);
  return [
    ...active.ifaces.map((i) => ({ name: i.name, mac: i.mac, active: true })),
    ...inactive.ifaces.map((i) => ({ name: i.name, mac: i.mac, active: false })),
  ];
}

/** The interface's live XML (type, MAC, link, bridge ports). */
export async function interfaceGetXml(c: LibvirtClient, ref: HostInterfaceRef): Promise<string> {
  const { xml } = await c.remote.interfaceGetXmlDesc({
    iface: { name: ref.name, mac: ref.mac },
    flags: 0,
  });
  return xml;
}
