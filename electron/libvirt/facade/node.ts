import {
  VIR_NODE_CPU_STATS_ALL_CPUS,
  VIR_NODE_MEMORY_STATS_ALL_CELLS,
  virConnectListAllNodeDeviceFlags,
} from '../protocol/constants.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import { enumFlags, type EnumName } from './enum-name';

export interface NodeInfo {
  /** CPU model, e.g. 'x86_64'. */
  model: string;
  memoryKiB: bigint;
  /** Active CPUs. */
  cpus: number;
  mhz: number;
  /** NUMA nodes (1 when the topology is unusual: then cpus ≠ nodes·sockets·cores·threads). */
  nodes: number;
  sockets: number;
  cores: number;
  threads: number;
}

/**
 * The model travels as `char[32]`, one 4-byte XDR int per character, NUL-padded; a signed
 * char above 127 arrives negative.
 */
export function decodeCharArray(chars: readonly number[]): string {
  const end = chars.indexOf(0);
  const bytes = Buffer.from((end === -1 ? chars : chars.slice(0, end)).map((c) => c & 0xff));
  return bytes.toString('utf8');
}

export async function nodeGetInfo(c: LibvirtClient): Promise<NodeInfo> {
  const i = await c.remote.nodeGetInfo();
  return {
    model: decodeCharArray(i.model),
    memoryKiB: i.memory,
    cpus: i.cpus,
    mhz: i.mhz,
    nodes: i.nodes,
    sockets: i.sockets,
    cores: i.cores,
    threads: i.threads,
  };
}

/** The host capabilities XML (CPU, NUMA, guest architectures and machine types). */
export async function connectGetCapabilities(c: LibvirtClient): Promise<string> {
  return (await c.remote.connectGetCapabilities()).capabilities;
}

export interface DomainCapabilitiesQuery {
  emulatorbin?: string;
  arch?: string;
  machine?: string;
  /** 'kvm', 'qemu', … */
  virttype?: string;
}

/** What one emulator/arch/machine/virttype combination supports (firmware, devices, CPU models). */
export async function connectGetDomainCapabilities(
  c: LibvirtClient,
  query: DomainCapabilitiesQuery = {},
): Promise<string> {
  const ret = await c.remote.connectGetDomainCapabilities({
    emulatorbin: query.emulatorbin ?? null,
    arch: query.arch ?? null,
    machine: query.machine ?? null,
    virttype: query.virttype ?? null,
    flags: 0,
  });
  return ret.capabilities;
}

export async function connectGetHostname(c: LibvirtClient): Promise<string> {
  return (await c.remote.connectGetHostname()).hostname;
}

/** The hypervisor's version, encoded major·1e6 + minor·1e3 + micro. */
export async function connectGetVersion(c: LibvirtClient): Promise<number> {
  return Number((await c.remote.connectGetVersion()).hv_ver);
}

/** The daemon's libvirt version, encoded major·1e6 + minor·1e3 + micro. */
export async function connectGetLibVersion(c: LibvirtClient): Promise<number> {
  return Number((await c.remote.connectGetLibVersion()).lib_ver);
}

/** 9000000 → '9.0.0' (libvirt's version encoding). */
export function formatLibvirtVersion(version: number | bigint): string {
  const n = Number(version);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`not a libvirt version: ${String(version)}`);
  return `${Math.floor(n / 1_000_000)}.${Math.floor(n / 1000) % 1000}.${n % 1000}`;
}

/** The URI the daemon opened for this connection (the probed one when none was given). */
export async function connectGetUri(c: LibvirtClient): Promise<string> {
  return (await c.remote.connectGetUri()).uri;
}

/**
 * Cumulative CPU times in ns ('kernel', 'user', 'idle', 'iowait', …) of one CPU or, by
 * default, all CPUs together.
 */
export async function nodeGetCpuStats(
  c: LibvirtClient,
  { cpu = VIR_NODE_CPU_STATS_ALL_CPUS }: { cpu?: number } = {},
): Promise<Record<string, bigint>> {
  // libvirt's two-step: nparams 0 asks how many fields there are.
  const { nparams } = await c.remote.nodeGetCpuStats({ cpuNum: cpu, nparams: 0, flags: 0 });
  const { params } = await c.remote.nodeGetCpuStats({ cpuNum: cpu, nparams, flags: 0 });
  return Object.fromEntries(params.map((p) => [p.field, p.value]));
}

/** Memory counters in KiB ('total', 'free', 'buffers', 'cached') of one NUMA cell or all. */
export async function nodeGetMemoryStats(
  c: LibvirtClient,
  { cell = VIR_NODE_MEMORY_STATS_ALL_CELLS }: { cell?: number } = {},
): Promise<Record<string, bigint>> {
  const { nparams } = await c.remote.nodeGetMemoryStats({ cellNum: cell, nparams: 0, flags: 0 });
  const { params } = await c.remote.nodeGetMemoryStats({ cellNum: cell, nparams, flags: 0 });
  return Object.fromEntries(params.map((p) => [p.field, p.value]));
}

/** Free host memory in bytes. */
export async function nodeGetFreeMemory(c: LibvirtClient): Promise<bigint> {
  return (await c.remote.nodeGetFreeMemory()).freeMem;
}

/** Capability filter names: 'system', 'pci-dev', 'usb-dev', 'net', 'scsi-host', 'storage', … */
export type NodeDeviceCap = EnumName<
  typeof virConnectListAllNodeDeviceFlags,
  'VIR_CONNECT_LIST_NODE_DEVICES_CAP_'
>;

/** Names of the host's devices, optionally only those with one of the capabilities. */
export async function nodeListDevices(
  c: LibvirtClient,
  { cap }: { cap?: NodeDeviceCap | readonly NodeDeviceCap[] } = {},
): Promise<string[]> {
  const caps = cap === undefined ? [] : typeof cap === 'string' ? [cap] : cap;
  const flags = enumFlags(
    virConnectListAllNodeDeviceFlags,
    'VIR_CONNECT_LIST_NODE_DEVICES_CAP_',
    caps,
  );
  const { devices } = await c.remote.connectListAllNodeDevices({ need_results: 1, flags });
  return devices.map((d) => d.name);
}

export async function nodeDeviceGetXml(c: LibvirtClient, name: string): Promise<string> {
  if (typeof name !== 'string' || name === '')
    throw new TypeError('a node device name is required');
  return (await c.remote.nodeDeviceGetXmlDesc({ name, flags: 0 })).xml;
}
