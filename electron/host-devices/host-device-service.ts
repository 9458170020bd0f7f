import type {
  HostDeviceKind,
  HostDeviceSummary,
  HostInterfaceList,
  HostInterfaceSourceProblem,
  MdevList,
  MediatedDevice,
} from '../../shared/contract/host-devices';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import { interfaceGetXml, interfaceList } from '../libvirt/facade/host-interface';
import { nodeDeviceGetXml, nodeListDevices } from '../libvirt/facade/node';
import { VIR_ERR_NO_INTERFACE, VIR_ERR_NO_NODE_DEVICE } from '../libvirt/protocol/constants.gen';
import type { HostDirectory } from '../vms/host-directory';
import { vmActionError, vmRefusal } from '../vms/vm-action-error';
import { readHostDevice } from './host-device-xml';
import { mergeHostInterfaces, type DescribedInterface } from './host-interface-merge';
import { createMediatedDevice, listMediatedDevices } from './mediated-devices';
import { readInterfaceXml, readNetNodeDevice, type NetNodeDevice } from './host-interface-xml';

/** An object that went away between the list and its XML: not there, not a failure. */
async function unlessGone<T>(read: Promise<T>, code: number): Promise<T | null> {
  try {
    return await read;
  } catch (err) {
    if (isLibvirtError(err, code)) return null;
    throw err;
  }
}

async function netNodeDevices(c: LibvirtClient): Promise<NetNodeDevice[]> {
  const names = await nodeListDevices(c, { cap: 'net' });
  const xmls = await Promise.all(
    names.map((n) => unlessGone(nodeDeviceGetXml(c, n), VIR_ERR_NO_NODE_DEVICE)),
  );
  return xmls
    .map((xml) => (xml === null ? null : readNetNodeDevice(xml)))
    .filter((d): d is NetNodeDevice => d !== null);
}

async function describedInterfaces(c: LibvirtClient): Promise<DescribedInterface[]> {
  const refs = await interfaceList(c);
  const described = await Promise.all(
    refs.map(async (ref) => {
      const xml = await unlessGone(interfaceGetXml(c, ref), VIR_ERR_NO_INTERFACE);
      return xml === null ? null : { ...readInterfaceXml(xml), active: ref.active };
    }),
  );
  return described.filter((d): d is DescribedInterface => d !== null);
}

function problem(
  source: HostInterfaceSourceProblem['source'],
  err: unknown,
): HostInterfaceSourceProblem {
  return {
    source,
    message: err instanceof Error ? err.message : 'unknown error',
    code: isLibvirtError(err) ? err.code : null,
  };
}

/** USB and PCI devices of connected hosts, read from libvirt's node devices on each call. */
export class HostDeviceService {
  constructor(private readonly options: { hosts: HostDirectory }) {}

  async list(connectionId: string, kind: HostDeviceKind): Promise<HostDeviceSummary[]> {
    const host = this.connected(connectionId);
    const c = host.client;
    try {
      const names = await nodeListDevices(c, { cap: kind === 'pci' ? 'pci-dev' : 'usb-dev' });
      const devices = await Promise.all(
        names.map(async (name) => readHostDevice(await nodeDeviceGetXml(c, name), kind)),
      );
      return devices
        .filter((d): d is HostDeviceSummary => d !== null)
        .sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      throw vmActionError('list', `${kind.toUpperCase()} devices`, host.alias, err);
    }
  }

  /** Parents that can host mediated devices (vGPU) and the mediated devices libvirt knows. */
  async mdevs(connectionId: string): Promise<MdevList> {
    const host = this.connected(connectionId);
    try {
      return await listMediatedDevices(host.client);
    } catch (err) {
      throw vmActionError('list', 'mediated devices', host.alias, err);
    }
  }

  async createMdev(
    connectionId: string,
    input: { parent: string; typeId: string; uuid: string },
  ): Promise<MediatedDevice> {
    const host = this.connected(connectionId);
    try {
      return await createMediatedDevice(host.client, input);
    } catch (err) {
      throw vmActionError('create', `a ${input.typeId} mediated device`, host.alias, err);
    }
  }

  private connected(connectionId: string) {
    const host = this.options.hosts.host(connectionId);
    if (!host) throw vmRefusal(`${this.options.hosts.alias(connectionId)} is not connected`);
    return host;
  }

  /**
   * The host's network interfaces from both libvirt sources; one failing source is
   * reported in `unavailable` (e.g. no interface backend in an unprivileged daemon), both
   * failing is an error.
   */
  async interfaces(connectionId: string): Promise<HostInterfaceList> {
    const host = this.connected(connectionId);
    const [nodes, ifaces] = await Promise.allSettled([
      netNodeDevices(host.client),
      describedInterfaces(host.client),
    ]);
    if (nodes.status === 'rejected' && ifaces.status === 'rejected') {
      throw vmActionError('list', 'network interfaces', host.alias, nodes.reason);
    }
    const unavailable: HostInterfaceSourceProblem[] = [];
    if (nodes.status === 'rejected') {
      unavailable.push(problem('node-devices', nodes.reason));
    }
    if (ifaces.status === 'rejected') {
      unavailable.push(problem('interfaces', ifaces.reason));
    }
    return {
      interfaces: mergeHostInterfaces(
        nodes.status === 'fulfilled' ? nodes.value : null,
        ifaces.status === 'fulfilled' ? ifaces.value : null,
      ),
      unavailable,
    };
  }
}
