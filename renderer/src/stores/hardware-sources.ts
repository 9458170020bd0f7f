import { defineStore } from 'pinia';
import { reactive } from 'vue';
import type {
  HostDeviceKind,
  HostDeviceSummary,
  HostInterfaceList,
  MdevList,
  MediatedDevice,
  NetworkSummary,
  PoolSummary,
  Size,
  VolumeSummary,
} from '../../../shared/contract';
import { call } from '../api/client';

/**
 * What the device pages and the Add Hardware dialog pick from on one host: virtual networks,
 * storage pools and their volumes. Read from libvirt when a form opens (never cached across
 * forms: a network started elsewhere must show), so each list is a fresh answer; host USB/PCI
 * devices too.
 */
export const useHardwareSourcesStore = defineStore('hardwareSources', () => {
  const networks = reactive(new Map<string, NetworkSummary[]>());
  const pools = reactive(new Map<string, PoolSummary[]>());

  async function loadNetworks(connectionId: string): Promise<NetworkSummary[]> {
    const list = await call('net:list', { connectionId });
    networks.set(connectionId, list);
    return list;
  }

  async function loadPools(connectionId: string): Promise<PoolSummary[]> {
    const list = await call('pool:list', { connectionId });
    pools.set(connectionId, list);
    return list;
  }

  function volumes(connectionId: string, pool: string): Promise<VolumeSummary[]> {
    return call('vol:list', { connectionId, pool });
  }

  /** A new volume for a disk; libvirt's answer names its path. */
  function createVolume(input: {
    connectionId: string;
    pool: string;
    name: string;
    format: 'qcow2' | 'raw';
    capacity: Size;
  }): Promise<VolumeSummary> {
    return call('vol:create', { ...input, preallocate: false });
  }

  /** The host's USB or PCI devices, for passthrough. */
  function hostDevices(connectionId: string, kind: HostDeviceKind): Promise<HostDeviceSummary[]> {
    return call('hostdev:list', { connectionId, kind });
  }

  /** The host's network interfaces (bridges, NICs for macvtap), read fresh each time. */
  function hostInterfaces(connectionId: string): Promise<HostInterfaceList> {
    return call('hostdev:interfaces', { connectionId });
  }

  /** mdev-capable parents (vGPU) and the mediated devices libvirt knows, read fresh. */
  function mediatedDevices(connectionId: string): Promise<MdevList> {
    return call('hostdev:mdevs', { connectionId });
  }

  /** Defines and starts a mediated device of `typeId` on `parent` (Add Hardware, once confirmed). */
  function createMediatedDevice(input: {
    connectionId: string;
    parent: string;
    typeId: string;
    uuid: string;
  }): Promise<MediatedDevice> {
    return call('hostdev:createMdev', input);
  }

  return {
    networks,
    pools,
    loadNetworks,
    loadPools,
    volumes,
    createVolume,
    hostDevices,
    hostInterfaces,
    mediatedDevices,
    createMediatedDevice,
  };
});
