import type { ConnectionDetails, SavedConnection } from '../../shared/contract/connections';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';

/** libvirt's version encoding (major × 1,000,000 + minor × 1,000 + micro) as 'x.y.z'. */
export function formatLibvirtVersion(encoded: number): string {
  if (!Number.isFinite(encoded) || encoded <= 0) return '';
  const major = Math.floor(encoded / 1_000_000);
  const minor = Math.floor(encoded / 1_000) % 1_000;
  return `${major}.${minor}.${encoded % 1_000}`;
}

/** virNodeInfo.model: a NUL-padded char[32]. */
function cString(chars: readonly number[]): string {
  const end = chars.indexOf(0);
  const bytes = Uint8Array.from((end < 0 ? chars : chars.slice(0, end)).map((c) => c & 0xff));
  return new TextDecoder().decode(bytes);
}

/** What the Connection Details page shows, asked from the daemon in one round of calls. */
export async function readConnectionDetails(
  client: LibvirtClient,
  saved: SavedConnection,
): Promise<ConnectionDetails> {
  const { remote } = client;
  const [{ hostname }, info, { type }] = await Promise.all([
    remote.connectGetHostname(),
    remote.nodeGetInfo(),
    remote.connectGetType(),
  ]);
  return {
    connectionId: saved.id,
    alias: saved.alias,
    uri: saved.uri,
    driverUri: client.driverUri,
    hostname,
    hypervisorType: type,
    libvirtVersion: formatLibvirtVersion(client.libVersion),
    hypervisorVersion: formatLibvirtVersion(client.hypervisorVersion),
    cpuModel: cString(info.model),
    cpuCount: info.cpus,
    cpuMhz: info.mhz,
    numaNodes: info.nodes,
    cpuSockets: info.sockets,
    cpuCores: info.cores,
    cpuThreads: info.threads,
    memoryKiB: info.memory.toString(),
    autoconnect: saved.autoconnect,
    readOnly: client.readOnly,
  };
}
