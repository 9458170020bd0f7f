import {
  VIR_CONNECT_LIST_NETWORKS_ACTIVE,
  VIR_CONNECT_LIST_NETWORKS_INACTIVE,
  VIR_NETWORK_CREATE_VALIDATE,
  VIR_NETWORK_DEFINE_VALIDATE,
  VIR_NETWORK_UPDATE_AFFECT_CONFIG,
  VIR_NETWORK_UPDATE_AFFECT_LIVE,
  VIR_NETWORK_XML_INACTIVE,
  virIPAddrType,
  virNetworkUpdateCommand,
  virNetworkUpdateSection,
} from '../protocol/constants.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import { enumName, enumValue, type EnumName } from './enum-name';
import { flagBits } from './flag-bits';
import { networkRefFromRemote, networkRefToRemote, type NetworkRef } from './object-refs';
import { isUuid, parseUuid } from './uuid';

export type { NetworkRef } from './object-refs';

export interface NetworkSummary extends NetworkRef {
  active: boolean;
  persistent: boolean;
  autostart: boolean;
  /** The bridge the network's guests attach to; absent for bridgeless modes (macvtap, hostdev). */
  bridge?: string;
}

// The network XML has at most one top-level <bridge>; its name is what virsh net-info shows.
const BRIDGE_NAME = /<bridge\b[^>]*?\bname=(["'])([^"'<>&]+)\1/;

/** Every network (active and inactive) with its state, like virsh net-list --all. */
export async function networkList(c: LibvirtClient): Promise<NetworkSummary[]> {
  const { nets } = await c.remote.connectListAllNetworks({
    need_results: 1,
    flags: VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE,
  });
  return Promise.all(
    nets.map(async (net): Promise<NetworkSummary> => {
      const [active, persistent, autostart, xml] = await Promise.all([
        c.remote.networkIsActive({ net }),
        c.remote.networkIsPersistent({ net }),
        c.remote.networkGetAutostart({ net }),
        c.remote.networkGetXmlDesc({ net, flags: 0 }),
      ]);
      const bridge = BRIDGE_NAME.exec(xml.xml)?.[2];
      return {
        ...networkRefFromRemote(net),
        active: active.active !== 0,
        persistent: persistent.persistent !== 0,
        autostart: autostart.autostart !== 0,
        ...(bridge !== undefined ? { bridge } : {}),
      };
    }),
  );
}

/** By UUID if the text is one, else by name. */
export async function networkLookup(c: LibvirtClient, nameOrUuid: string): Promise<NetworkRef> {
  if (typeof nameOrUuid !== 'string' || nameOrUuid === '')
    throw new TypeError('a network name or UUID is required');
  const { net } = isUuid(nameOrUuid)
    ? await c.remote.networkLookupByUuid({ uuid: parseUuid(nameOrUuid) })
    : await c.remote.networkLookupByName({ name: nameOrUuid });
  return networkRefFromRemote(net);
}

export async function networkGetXml(
  c: LibvirtClient,
  net: NetworkRef,
  { inactive }: { inactive?: boolean } = {},
): Promise<string> {
  const flags = flagBits([inactive, VIR_NETWORK_XML_INACTIVE]);
  return (await c.remote.networkGetXmlDesc({ net: networkRefToRemote(net), flags })).xml;
}

function requireXml(xml: string): string {
  if (typeof xml !== 'string' || xml.trim() === '')
    throw new TypeError('network XML must not be empty');
  return xml;
}

/** Defines a persistent network (not started). */
export async function networkDefineXml(
  c: LibvirtClient,
  xml: string,
  { validate }: { validate?: boolean } = {},
): Promise<NetworkRef> {
  const flags = flagBits([validate, VIR_NETWORK_DEFINE_VALIDATE]);
  const { net } = await c.remote.networkDefineXmlFlags({ xml: requireXml(xml), flags });
  return networkRefFromRemote(net);
}

/** Creates and starts a transient network: it disappears when destroyed. */
export async function networkCreateXml(
  c: LibvirtClient,
  xml: string,
  { validate }: { validate?: boolean } = {},
): Promise<NetworkRef> {
  const flags = flagBits([validate, VIR_NETWORK_CREATE_VALIDATE]);
  const { net } = await c.remote.networkCreateXmlFlags({ xml: requireXml(xml), flags });
  return networkRefFromRemote(net);
}

export async function networkStart(c: LibvirtClient, net: NetworkRef): Promise<void> {
  await c.remote.networkCreate({ net: networkRefToRemote(net) });
}

export async function networkDestroy(c: LibvirtClient, net: NetworkRef): Promise<void> {
  await c.remote.networkDestroy({ net: networkRefToRemote(net) });
}

export async function networkUndefine(c: LibvirtClient, net: NetworkRef): Promise<void> {
  await c.remote.networkUndefine({ net: networkRefToRemote(net) });
}

export async function networkGetAutostart(c: LibvirtClient, net: NetworkRef): Promise<boolean> {
  return (await c.remote.networkGetAutostart({ net: networkRefToRemote(net) })).autostart !== 0;
}

export async function networkSetAutostart(
  c: LibvirtClient,
  net: NetworkRef,
  autostart: boolean,
): Promise<void> {
  await c.remote.networkSetAutostart({
    net: networkRefToRemote(net),
    autostart: autostart ? 1 : 0,
  });
}

export type NetworkUpdateCommand = EnumName<
  typeof virNetworkUpdateCommand,
  'VIR_NETWORK_UPDATE_COMMAND_'
>;
export type NetworkUpdateSection = EnumName<typeof virNetworkUpdateSection, 'VIR_NETWORK_SECTION_'>;

export interface NetworkUpdateOptions {
  /** 'modify', 'delete', 'add-last', 'add-first' */
  command: NetworkUpdateCommand;
  /** 'ip-dhcp-host', 'dns-host', 'portgroup', … */
  section: NetworkUpdateSection;
  /** Which parent element (e.g. which <ip>) when there are several; -1 = any/first. */
  parentIndex?: number;
  /** The element to add, change or delete, e.g. `<host mac='…' ip='…'/>`. */
  xml: string;
  live?: boolean;
  config?: boolean;
}

/**
 * NETWORK_UPDATE: changes one section in place. The fields go out in their own slots, which
 * daemons with VIR_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER (libvirt 9.0 here: checked
 * by test) read correctly; libvirt before that fix swapped command and section internally.
 */
export async function networkUpdate(
  c: LibvirtClient,
  net: NetworkRef,
  options: NetworkUpdateOptions,
): Promise<void> {
  const command = enumValue(
    virNetworkUpdateCommand,
    'VIR_NETWORK_UPDATE_COMMAND_',
    options.command,
  );
  const section = enumValue(virNetworkUpdateSection, 'VIR_NETWORK_SECTION_', options.section);
  const parentIndex = options.parentIndex ?? -1;
  if (!Number.isInteger(parentIndex) || parentIndex < -1)
    throw new TypeError('parentIndex must be ≥ -1');
  const flags = flagBits(
    [options.live, VIR_NETWORK_UPDATE_AFFECT_LIVE],
    [options.config, VIR_NETWORK_UPDATE_AFFECT_CONFIG],
  );
  await c.remote.networkUpdate({
    net: networkRefToRemote(net),
    command,
    section,
    parentIndex,
    xml: requireXml(options.xml),
    flags,
  });
}

export interface DhcpLease {
  iface: string;
  /** Seconds since the epoch. */
  expiryTime: bigint;
  type: number;
  typeName: EnumName<typeof virIPAddrType, 'VIR_IP_ADDR_TYPE_'> | 'unknown';
  mac: string | null;
  iaid: string | null;
  ipaddr: string;
  prefix: number;
  hostname: string | null;
  clientid: string | null;
}

/** The network's DHCP leases, optionally only those of one MAC address. */
export async function networkGetDhcpLeases(
  c: LibvirtClient,
  net: NetworkRef,
  { mac }: { mac?: string } = {},
): Promise<DhcpLease[]> {
  const { leases } = await c.remote.networkGetDhcpLeases({
    net: networkRefToRemote(net),
    mac: mac ?? null,
    need_results: 1,
    flags: 0,
  });
  return leases.map((l) => ({
    iface: l.iface,
    expiryTime: l.expirytime,
    type: l.type,
    typeName: enumName(virIPAddrType, 'VIR_IP_ADDR_TYPE_', l.type),
    mac: l.mac,
    iaid: l.iaid,
    ipaddr: l.ipaddr,
    prefix: l.prefix,
    hostname: l.hostname,
    clientid: l.clientid,
  }));
}
