import path from 'node:path';
import type { SavedConnection } from '../../shared/contract/connections';
import type { OpenOptions } from '../libvirt/client/libvirt-client';
import type { RpcLogger } from '../libvirt/rpc/rpc-logger';
import { openSshTransport } from '../libvirt/transport/ssh-transport';
import type { SshPrompter } from '../libvirt/transport/transport-types';
import type { LocalLibvirtEnvironment } from './local-libvirt';
import { applySavedSshSettings } from './saved-ssh-options';

export interface LinkTuning {
  /** Our PING after this much silence (ms)… */
  keepaliveIntervalMs: number;
  /** …and the link is dead after this many silent intervals. */
  keepaliveCount: number;
  /** Per handshake call (AUTH_LIST, CONNECT_OPEN, …). */
  handshakeTimeoutMs: number;
  /** TCP/unix connect, and SSH connect + handshake + authentication (prompts excluded). */
  connectTimeoutMs: number;
}

/**
 * PING after 5 s of silence, dead after 15 s: a cut network or a frozen daemon is noticed
 * within ~15 s (virt-manager: 20 s × 1). A daemon that exits closes the socket and is
 * noticed at once.
 */
export const defaultLinkTuning: LinkTuning = {
  keepaliveIntervalMs: 5_000,
  keepaliveCount: 3,
  handshakeTimeoutMs: 15_000,
  connectTimeoutMs: 20_000,
};

export interface OpenOptionsContext {
  local: LocalLibvirtEnvironment;
  /** libvirt.conf (uri_aliases, remote_mode); default libvirt's location for this user. */
  libvirtConfPath?: string;
  /** Default `<home>/.ssh/config`. */
  sshConfigPath?: string;
  prompter: SshPrompter;
  tuning: LinkTuning;
  rpcLogger: RpcLogger;
}

/** How LibvirtClient.open reaches a saved connection: its URI plus its SSH settings. */
export function openOptionsFor(saved: SavedConnection, context: OpenOptionsContext): OpenOptions {
  const { local, tuning } = context;
  const sshContext = {
    home: local.home,
    env: local.env,
    sshConfigPath: context.sshConfigPath ?? path.join(local.home, '.ssh', 'config'),
  };
  return {
    euid: local.euid,
    env: { ...local.env },
    home: local.home,
    ...(context.libvirtConfPath !== undefined ? { configPath: context.libvirtConfPath } : {}),
    rpc: { keepaliveIntervalMs: tuning.keepaliveIntervalMs, keepaliveCount: tuning.keepaliveCount },
    handshakeTimeoutMs: tuning.handshakeTimeoutMs,
    connectTimeoutMs: tuning.connectTimeoutMs,
    logger: context.rpcLogger,
    ssh: { prompter: context.prompter, readyTimeoutMs: tuning.connectTimeoutMs },
    openSsh: async (base) =>
      openSshTransport(await applySavedSshSettings(base, saved.ssh, sshContext)),
  };
}
