import { TransportError } from './errors';
import { VIR_CONNECT_RO } from './protocol/constants.gen';
import { RemoteAuthType, remoteProcedures } from './protocol/remote.gen';
import { DriverFeature } from './rpc/driver-feature';
import { RpcConnection, type RpcConnectionOptions } from './rpc/rpc-connection';
import { openTransport, type OpenTransportOptions } from './transport/open-transport';
import type { Transport } from './transport/transport-types';
import { driverUri, parseLibvirtUri, type LibvirtUri } from './uri/libvirt-uri';
import { resolveUri, type ResolveUriOptions } from './uri/resolve-uri';

export interface LibvirtFeatures {
  /** The daemon speaks keepalive; we PING it and answer its PINGs. */
  readonly keepalive: boolean;
  /** *_CALLBACK_* event procedures are available (libvirt ≥ 1.2.1). */
  readonly eventCallbacks: boolean;
  /** Typed-param getters may return strings when flags include VIR_TYPED_PARAM_STRING_OKAY. */
  readonly typedParamString: boolean;
  readonly closeCallback: boolean;
}

/** An open, authenticated libvirt connection: the RPC link plus what was negotiated. */
export interface LibvirtConnection {
  readonly rpc: RpcConnection;
  /** The URI actually opened (after defaults and aliases). */
  readonly uri: LibvirtUri;
  /** The name given in CONNECT_OPEN, e.g. 'qemu:///system'. */
  readonly driverUri: string;
  readonly readOnly: boolean;
  readonly features: LibvirtFeatures;
  close(): Promise<void>;
}

export interface OpenConnectionOptions
  extends
    Omit<OpenTransportOptions, 'config' | 'readOnly'>,
    Omit<ResolveUriOptions, 'env' | 'euid' | 'home'> {
  readOnly?: boolean;
  rpc?: RpcConnectionOptions;
  /** Per handshake call (ms). */
  handshakeTimeoutMs?: number;
  /** For tests: use this transport instead of opening the URI's. */
  transport?: Transport;
}

const AUTH_NAMES: Readonly<Record<number, string>> = {
  [RemoteAuthType.REMOTE_AUTH_NONE]: 'none',
  [RemoteAuthType.REMOTE_AUTH_SASL]: 'sasl',
  [RemoteAuthType.REMOTE_AUTH_POLKIT]: 'polkit',
};

/**
 * The auth type to use (remoteAuthenticate): nothing if the daemon lists none, else the
 * one named by ?auth= (it must be offered), else the first one offered.
 */
function chooseAuth(offered: readonly number[], uri: LibvirtUri): number | null {
  if (offered.length === 0) return null;
  const wanted = uri.client.auth;
  if (wanted === undefined) return offered[0] ?? null;
  const match = offered.find((t) => {
    const name = AUTH_NAMES[t];
    return (
      name !== undefined && (wanted === name || (name === 'sasl' && wanted.startsWith('sasl.')))
    );
  });
  if (match === undefined) {
    throw new TransportError(
      `${uri.text}: requested authentication type ${wanted} rejected (the daemon offers ` +
        `${offered.map((t) => AUTH_NAMES[t] ?? String(t)).join(', ')})`,
      'auth',
    );
  }
  return match;
}

async function authenticate(rpc: RpcConnection, uri: LibvirtUri, timeoutMs: number): Promise<void> {
  const { types } = await rpc.call(remoteProcedures.AUTH_LIST, undefined, { timeoutMs });
  const auth = chooseAuth(types, uri);
  switch (auth) {
    case null:
    case RemoteAuthType.REMOTE_AUTH_NONE:
      return;
    case RemoteAuthType.REMOTE_AUTH_POLKIT:
      // Decided by polkitd on the daemon's side; without an agent it answers at once.
      await rpc.call(remoteProcedures.AUTH_POLKIT, undefined, { timeoutMs });
      return;
    case RemoteAuthType.REMOTE_AUTH_SASL:
      throw new TransportError(
        `${uri.text}: the daemon requires SASL authentication, which is not supported yet`,
        'auth',
      );
    default:
      throw new TransportError(`${uri.text}: unknown authentication type ${auth} offered`, 'auth');
  }
}

async function supports(rpc: RpcConnection, feature: number, timeoutMs: number): Promise<boolean> {
  const { supported } = await rpc.call(
    remoteProcedures.CONNECT_SUPPORTS_FEATURE,
    { feature },
    { timeoutMs },
  );
  return supported !== 0;
}

/**
 * Opens a libvirt connection in libvirt's own order (doRemoteOpen): resolve the URI
 * (LIBVIRT_DEFAULT_URI, uri_default, aliases), open the transport, AUTH_LIST and
 * authenticate, ask for keepalive support (only now that our PONG responder is wired, as
 * asking makes the daemon start PINGing), CONNECT_OPEN with the driver URI, then probe
 * the features later calls depend on.
 */
export async function openConnection(
  uri: string,
  options: OpenConnectionOptions = {},
): Promise<LibvirtConnection> {
  const resolved = await resolveUri(uri, options);
  const parsed = parseLibvirtUri(resolved.uri);
  const readOnly = options.readOnly ?? false;
  const transport =
    options.transport ??
    (await openTransport(parsed, { ...options, readOnly, config: resolved.config }));
  const rpc = new RpcConnection(transport, options.rpc);
  const timeoutMs = options.handshakeTimeoutMs ?? 30_000;
  let opened = false;
  try {
    await authenticate(rpc, parsed, timeoutMs);
    const keepalive = await supports(rpc, DriverFeature.PROGRAM_KEEPALIVE, timeoutMs);
    if (keepalive) rpc.startKeepalive();
    const name = driverUri(parsed);
    await rpc.call(
      remoteProcedures.CONNECT_OPEN,
      { name, flags: readOnly ? VIR_CONNECT_RO : 0 },
      { timeoutMs },
    );
    opened = true;
    const [eventCallbacks, typedParamString, closeCallback] = await Promise.all([
      supports(rpc, DriverFeature.REMOTE_EVENT_CALLBACK, timeoutMs),
      supports(rpc, DriverFeature.TYPED_PARAM_STRING, timeoutMs),
      supports(rpc, DriverFeature.REMOTE_CLOSE_CALLBACK, timeoutMs),
    ]);
    return {
      rpc,
      uri: parsed,
      driverUri: name,
      readOnly,
      features: { keepalive, eventCallbacks, typedParamString, closeCallback },
      close: () => rpc.close(),
    };
  } catch (err) {
    if (opened) await rpc.close();
    else rpc.terminate('connection set-up failed');
    throw err;
  }
}
