import path from 'node:path';
import type { SavedConnection } from '../../shared/contract/connections';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { sshTransportOptions } from '../libvirt/transport/open-transport';
import { sshSessionOptions } from '../libvirt/transport/ssh-session-options';
import { parseLibvirtUri } from '../libvirt/uri/libvirt-uri';
import { applySavedSshSettings } from '../connections/saved-ssh-options';
import { SshError } from '../ssh/ssh-error';
import { sshSessionPool, type SshSessionLease, type SshSessionPool } from '../ssh/ssh-session-pool';
import type { HostTransport } from './graphics-route';

/** A connected host as the console code sees it. */
export interface HostLink {
  connectionId: string;
  alias: string;
  client: LibvirtClient;
  transport: HostTransport;
  /** The host name in the connection URI (for displays listening on every interface). */
  uriHost: string | null;
  /**
   * A reference to the SSH session that carries this host's libvirt link (ssh hosts only).
   * Never opens a second connection and never asks a question: with the link down it fails.
   */
  sshSession(): Promise<SshSessionLease>;
}

export interface HostLinkSource {
  link(connectionId: string): HostLink | null;
}

/** What of the ConnectionManager the console code reads. */
export interface ConnectionLookup {
  client(id: string): LibvirtClient | null;
  readonly store: { list(): readonly SavedConnection[] };
}

export interface HostLinkOptions {
  connections: ConnectionLookup;
  /** The home and environment the connections use (~/.ssh/config, agent socket). */
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  sshConfigPath?: string;
  pool?: SshSessionPool;
}

/**
 * Host links over the saved connections. The SSH session is found the way the transport
 * made it — the same URI, saved settings and ~/.ssh/config give the same pool key — but
 * with no credentials and no prompter, so a session that is gone cannot be re-made here.
 */
export function connectionHostLinks(options: HostLinkOptions): HostLinkSource {
  const pool = options.pool ?? sshSessionPool;
  return {
    link(connectionId) {
      const client = options.connections.client(connectionId);
      if (!client) return null;
      const saved = options.connections.store.list().find((c) => c.id === connectionId);
      if (!saved) return null;
      const uri = parseLibvirtUri(client.resolvedUri);
      const transport = hostTransportOf(uri.transport);
      return {
        connectionId,
        alias: saved.alias,
        client,
        transport,
        uriHost: uri.host,
        async sshSession() {
          if (transport !== 'ssh') {
            throw new SshError('invalid-input', `${saved.alias} is not an SSH connection`);
          }
          const base = sshTransportOptions(uri, {});
          const resolved = await applySavedSshSettings(base, saved.ssh, {
            home: options.home,
            env: options.env,
            sshConfigPath: options.sshConfigPath ?? path.join(options.home, '.ssh', 'config'),
          });
          const sessionOptions = await sshSessionOptions({
            ...resolved,
            identityFiles: [],
            agent: null,
            readyTimeoutMs: 5_000,
          });
          sessionOptions.target = { ...sessionOptions.target, identityFiles: [] };
          sessionOptions.jumpHosts = sessionOptions.jumpHosts.map((j) => ({
            ...j,
            identityFiles: [],
          }));
          let lease: SshSessionLease;
          try {
            lease = await pool.acquire(sessionOptions);
          } catch (err) {
            throw new SshError(
              'connection-lost',
              `The SSH connection to ${saved.alias} is not open (reconnect the host)`,
              { cause: err },
            );
          }
          // Ours must not be the only reference: the libvirt link holds the other.
          if (lease.session.referenceCount < 2) {
            lease.release();
            throw new SshError(
              'connection-lost',
              `The SSH connection to ${saved.alias} is not open (reconnect the host)`,
            );
          }
          return lease;
        },
      };
    },
  };
}

export function hostTransportOf(transport: string): HostTransport {
  switch (transport) {
    case 'ssh':
    case 'libssh':
    case 'libssh2':
      return 'ssh';
    case 'tcp':
      return 'tcp';
    case 'tls':
      return 'tls';
    default:
      return 'local';
  }
}
