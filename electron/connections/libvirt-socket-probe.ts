import { TransportError } from '../libvirt/errors';
import { RemoteAuthType, remoteProcedures } from '../libvirt/protocol/remote.gen';
import { RpcConnection } from '../libvirt/rpc/rpc-connection';
import { openUnixTransport } from '../libvirt/transport/unix-transport';

export type SocketProbe = { usable: true } | { usable: false; reason: string };

const quietRpcLogger = { warn: () => {}, debug: () => {} };

/**
 * Whether this user may use the libvirt daemon behind `socketPath`: connects, asks
 * AUTH_LIST and, where the daemon wants polkit, asks polkit — the checks libvirt's client
 * makes before it opens a driver. Never throws.
 */
export async function probeLibvirtSocket(
  socketPath: string,
  timeoutMs = 5_000,
): Promise<SocketProbe> {
  let rpc: RpcConnection | undefined;
  try {
    const transport = await openUnixTransport(
      { path: socketPath, considered: [socketPath] },
      { timeoutMs },
    );
    rpc = new RpcConnection(transport, { logger: quietRpcLogger });
    const { types } = await rpc.call(remoteProcedures.AUTH_LIST, undefined, { timeoutMs });
    const first = types[0];
    if (first === undefined || first === RemoteAuthType.REMOTE_AUTH_NONE) return { usable: true };
    if (first === RemoteAuthType.REMOTE_AUTH_POLKIT) {
      await rpc.call(remoteProcedures.AUTH_POLKIT, undefined, { timeoutMs });
      return { usable: true };
    }
    return {
      usable: false,
      reason: `${socketPath} requires SASL authentication, which VirtDeck does not support yet`,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : 'unknown error';
    return {
      usable: false,
      reason: err instanceof TransportError ? message : `${socketPath}: ${message}`,
    };
  } finally {
    rpc?.terminate('probe done');
  }
}
