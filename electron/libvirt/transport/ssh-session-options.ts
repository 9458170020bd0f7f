import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { HopTarget } from '../../ssh/connect-hop';
import { defaultIdentityFiles } from '../../ssh/identity-keys';
import type { SshSessionOptions } from '../../ssh/ssh-session';
import {
  validateSshHost,
  validateSshPort,
  validateSshUsername,
} from '../../ssh/validate-ssh-target';
import type { SshTransportOptions } from './transport-types';

const DEFAULT_READY_TIMEOUT_MS = 20_000;
const GLOBAL_KNOWN_HOSTS = '/etc/ssh/ssh_known_hosts';

/**
 * Validated SshSession options for a transport's target, with OpenSSH's defaults filled
 * in. Console channels call this with the same options to share the transport's session.
 */
export async function sshSessionOptions(options: SshTransportOptions): Promise<SshSessionOptions> {
  const localUser = safeLocalUser();
  const hop = (h: { host: string; port?: number; username?: string }): HopTarget => ({
    host: validateSshHost(h.host),
    port: validateSshPort(h.port),
    username: validateSshUsername(h.username ?? localUser),
  });
  const target = hop(options);
  const jumpHosts = (options.jumpHosts ?? []).map((j) =>
    j.identityFiles ? { ...hop(j), identityFiles: [...j.identityFiles] } : hop(j),
  );
  const explicitKnownHosts = options.knownHostsFile !== undefined;
  const timeout = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout < 0) {
    throw new RangeError(`readyTimeoutMs must be a non-negative number, got ${String(timeout)}`);
  }
  const agent =
    options.agent === undefined ? (process.env['SSH_AUTH_SOCK'] ?? null) : options.agent;
  return {
    target,
    jumpHosts,
    security: {
      knownHostsFile: options.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts'),
      // An explicit file means "trust exactly this", so the system-wide one stays out.
      globalKnownHostsFiles: explicitKnownHosts ? [] : [GLOBAL_KNOWN_HOSTS],
      agent: agent === '' ? null : agent,
      identityFiles: options.identityFiles ?? (await defaultIdentityFiles()),
      prompter: options.prompter,
      readyTimeoutMs: timeout,
    },
  };
}

function safeLocalUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'root';
  }
}
