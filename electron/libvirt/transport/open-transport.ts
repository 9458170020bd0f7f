import { InvalidUriError, TransportError } from '../errors';
import {
  REMOTE_MODES,
  REMOTE_PROXIES,
  clientFlag,
  driverUri,
  type LibvirtUri,
  type RemoteMode,
  type RemoteProxy,
} from '../uri/libvirt-uri';
import type { LibvirtClientConfig } from '../uri/libvirt-conf';
import { openSshTransport } from './ssh-transport';
import { openTcpTransport } from './tcp-transport';
import { locateTlsCredentials, openTlsTransport } from './tls-transport';
import type { SshTransportOptions, Transport } from './transport-types';
import { chooseUnixSocket, openUnixTransport, type UnixSocketEnvironment } from './unix-transport';

/** SSH settings that do not come from the URI (prompts, agent, jump hosts). */
export type SshSettings = Pick<
  SshTransportOptions,
  'identityFiles' | 'agent' | 'knownHostsFile' | 'jumpHosts' | 'prompter' | 'readyTimeoutMs'
>;

export interface OpenTransportOptions extends UnixSocketEnvironment {
  readOnly?: boolean;
  /** libvirt.conf (remote_mode / remote_proxy defaults). */
  config?: LibvirtClientConfig | null;
  connectTimeoutMs?: number;
  signal?: AbortSignal;
  ssh?: SshSettings;
  /** For tests: stand-in for ./ssh-transport's openSshTransport. */
  openSsh?: (options: SshTransportOptions) => Promise<Transport>;
}

function remoteMode(uri: LibvirtUri, config: LibvirtClientConfig | null | undefined): RemoteMode {
  const value = uri.client.mode ?? config?.remoteMode ?? 'auto';
  if (!(REMOTE_MODES as readonly string[]).includes(value)) {
    throw new InvalidUriError(uri.text, `Unknown remote mode '${value}'`);
  }
  return value as RemoteMode;
}

function remoteProxy(uri: LibvirtUri, config: LibvirtClientConfig | null | undefined): RemoteProxy {
  const value = uri.client.proxy ?? config?.remoteProxy ?? 'auto';
  if (!(REMOTE_PROXIES as readonly string[]).includes(value)) {
    throw new InvalidUriError(uri.text, `Unknown proxy type '${value}'`);
  }
  return value as RemoteProxy;
}

/** What the SSH transport needs, taken from the URI the way libvirt's ssh transport reads it. */
export function sshTransportOptions(
  uri: LibvirtUri,
  options: OpenTransportOptions = {},
): SshTransportOptions {
  const { keyfile, known_hosts: knownHosts, socket, netcat } = uri.client;
  const mode = uri.client.mode ?? options.config?.remoteMode;
  return {
    ...options.ssh,
    host: uri.host ?? 'localhost',
    ...(uri.port !== null ? { port: uri.port } : {}),
    ...(uri.user !== null ? { username: uri.user } : {}),
    ...(keyfile !== undefined ? { identityFiles: [keyfile] } : {}),
    ...(knownHosts !== undefined ? { knownHostsFile: knownHosts } : {}),
    remote: {
      driverUri: driverUri(uri),
      ...(socket !== undefined ? { socket } : {}),
      ...(mode !== undefined ? { mode: remoteMode(uri, options.config) } : {}),
      proxy: remoteProxy(uri, options.config),
      ...(netcat !== undefined ? { netcat } : {}),
      readOnly: options.readOnly ?? false,
    },
  };
}

/** Opens the byte stream to the daemon that `uri` names, by its transport. */
export async function openTransport(
  uri: LibvirtUri,
  options: OpenTransportOptions = {},
): Promise<Transport> {
  const connect = { timeoutMs: options.connectTimeoutMs, signal: options.signal };
  switch (uri.transport) {
    case 'unix': {
      const choice = chooseUnixSocket(
        uri,
        remoteMode(uri, options.config),
        options.readOnly ?? false,
        options,
      );
      return openUnixTransport(choice, connect);
    }
    case 'tcp':
      return openTcpTransport(uri.host ?? 'localhost', uri.port ?? undefined, connect);
    case 'tls':
      return openTlsTransport({
        ...connect,
        host: uri.host ?? 'localhost',
        ...(uri.port !== null ? { port: uri.port } : {}),
        files: locateTlsCredentials({ ...options, pkipath: uri.client.pkipath }),
        noVerify: clientFlag(uri, 'no_verify'),
      });
    case 'ssh':
    case 'libssh':
    case 'libssh2':
      return (options.openSsh ?? openSshTransport)(sshTransportOptions(uri, options));
    case 'ext':
      // ext runs ?command= as a local program: never from a URI someone may have pasted.
      throw new TransportError(
        `${uri.text}: the 'ext' transport (running a local command) is not supported`,
        'config',
      );
  }
}
