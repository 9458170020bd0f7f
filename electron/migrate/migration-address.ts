export interface MigrationAddress {
  /** As it goes into `tcp://<host>` (IPv6 in brackets). */
  host: string;
  /** The address on the same machine: the destination then listens on loopback only. */
  loopback: boolean;
  /** listen_address for the destination (without brackets). */
  listen: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function fromHost(host: string): MigrationAddress {
  const loopback = LOOPBACK.has(host) || host.startsWith('127.');
  const listen = host === 'localhost' ? '127.0.0.1' : host.replace(/^\[(.*)\]$/, '$1');
  return { host, loopback, listen };
}

/**
 * Where the source's hypervisor sends the VM: the user's address, else the host of the
 * destination's saved URI (as virt-manager does), else loopback for a destination reached
 * through a local socket — that daemon runs on this machine. undefined: let libvirt choose
 * (the destination's host name).
 */
export function migrationAddress(
  given: string | undefined,
  destinationUri: string | undefined,
): MigrationAddress | undefined {
  if (given) return fromHost(given);
  if (!destinationUri) return undefined;
  let url: URL;
  try {
    url = new URL(destinationUri);
  } catch {
    return undefined;
  }
  const transport = url.protocol.replace(/:$/, '').split('+')[1];
  if (url.hostname === '' || transport === 'unix') return fromHost('127.0.0.1');
  return fromHost(url.hostname);
}
