import { connectSocket, type ConnectOptions } from './connect-socket';
import type { Transport } from './transport-types';

/** libvirtd's plain TCP listener (LIBVIRTD_TCP_PORT). */
export const LIBVIRT_TCP_PORT = 16509;

const hostPort = (host: string, port: number): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

/**
 * qemu+tcp://: plain TCP to libvirtd. Without SASL this is unauthenticated and unencrypted,
 * so daemons normally refuse it (auth_tcp = "sasl"); it exists for test rigs and tunnels.
 */
export async function openTcpTransport(
  host: string,
  port: number = LIBVIRT_TCP_PORT,
  options: ConnectOptions = {},
): Promise<Transport> {
  const target = hostPort(host, port);
  const socket = await connectSocket({ host, port }, { what: `'${target}'` }, options);
  // RPCs are small request/response pairs: Nagle + delayed ACK would add ~40 ms to each.
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 30_000);
  return { stream: socket, description: `tcp:${target}`, close: () => socket.destroy() };
}
