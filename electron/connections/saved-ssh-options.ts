import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import path from 'node:path';
import type { SshSettings } from '../../shared/contract/connections';
import type { SshTransportOptions } from '../libvirt/transport/transport-types';
import { defaultIdentityFiles } from '../ssh/identity-keys';
import { parseJumpSpec, resolveSshConfig } from '../ssh/ssh-config-resolver';
import type { SshJumpHost } from '../ssh/ssh-config-resolver';
import { SshError } from '../ssh/ssh-error';

export interface SshContext {
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  /** ~/.ssh/config; absent file = no config. */
  sshConfigPath: string;
}

// A host name no ssh_config pattern of the user's can mean: the .invalid TLD is reserved.
const JUMP_TARGET = 'virtdeck-proxyjump-target.invalid';

/**
 * The SSH options for one connection attempt, the way `ssh` would build them for libvirt's
 * ssh transport: what the URI says (user, port, keyfile, known_hosts) wins, then the saved
 * settings, then ~/.ssh/config for that host (HostName, User, Port, IdentityFile,
 * ProxyJump, UserKnownHostsFile), then OpenSSH's defaults.
 */
export async function applySavedSshSettings(
  base: SshTransportOptions,
  settings: SshSettings,
  context: SshContext,
): Promise<SshTransportOptions> {
  const configText = await readSshConfig(context.sshConfigPath);
  const localUser = safeLocalUser(context.env);
  const explicitUser = base.username ?? settings.user;
  const host = configText
    ? resolveSshConfig(configText, base.host, {
        home: context.home,
        localUser,
        ...(explicitUser !== undefined ? { username: explicitUser } : {}),
      })
    : null;
  const username = explicitUser ?? host?.username;
  const port = base.port ?? settings.port ?? host?.port;
  const options: SshTransportOptions = {
    ...base,
    host: host?.hostName ?? base.host,
    identityFiles: base.identityFiles ?? (await identityFiles(settings, host, context.home)),
    agent: settings.useAgent ? (context.env.SSH_AUTH_SOCK ?? null) : null,
    jumpHosts: settings.proxyJump
      ? resolveProxyJump(settings.proxyJump, configText, context.home, localUser)
      : (host?.jumpHosts ?? []),
  };
  if (username !== undefined) options.username = username;
  if (port !== undefined) options.port = port;
  const knownHosts = base.knownHostsFile ?? host?.userKnownHostsFile ?? ownKnownHosts(context.home);
  if (knownHosts !== undefined) options.knownHostsFile = knownHosts;
  else delete options.knownHostsFile;
  return options;
}

/**
 * `ProxyJump` text → hops, each resolved through ~/.ssh/config like `ssh -J` does. The
 * hops are checked one by one first, so the text cannot smuggle other directives in.
 */
export function resolveProxyJump(
  spec: string,
  configText: string | null,
  home: string,
  localUser: string,
): SshJumpHost[] {
  const hops = spec.split(',').map((h) => h.trim());
  const parsed = hops.map((hop) => parseJumpSpec(hop));
  if (!configText) {
    return parsed.map((p) => ({
      host: p.host,
      ...(p.port !== undefined ? { port: p.port } : {}),
      ...(p.username !== undefined ? { username: p.username } : {}),
    }));
  }
  const text = `Host ${JUMP_TARGET}\n  ProxyJump ${hops.join(',')}\n\n${configText}`;
  return resolveSshConfig(text, JUMP_TARGET, { home, localUser }).jumpHosts;
}

async function identityFiles(
  settings: SshSettings,
  host: { identityFiles: string[]; identitiesOnly: boolean } | null,
  home: string,
): Promise<string[]> {
  if (settings.identityFile) return [expandHome(settings.identityFile, home)];
  const defaults = await defaultIdentityFiles(home);
  if (!host || host.identityFiles.length === 0) return defaults;
  return host.identitiesOnly
    ? host.identityFiles
    : [...host.identityFiles, ...defaults.filter((d) => !host.identityFiles.includes(d))];
}

/**
 * The user's known_hosts only when `home` is not the process's own: left unset, the SSH
 * layer uses ~/.ssh/known_hosts *and* /etc/ssh/ssh_known_hosts, as OpenSSH does.
 */
function ownKnownHosts(home: string): string | undefined {
  const mine = path.join(home, '.ssh', 'known_hosts');
  return mine === path.join(homedir(), '.ssh', 'known_hosts') ? undefined : mine;
}

function expandHome(file: string, home: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(home, file.slice(1)) : file;
}

async function readSshConfig(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SshError('invalid-input', `Cannot read ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function safeLocalUser(env: Readonly<Record<string, string | undefined>>): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? 'root';
  }
}
