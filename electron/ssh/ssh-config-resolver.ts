import SSHConfig from 'ssh-config';
import type { Line } from 'ssh-config';
import { SshError } from './ssh-error';

export interface SshJumpHost {
  host: string;
  port?: number;
  username?: string;
  identityFiles?: string[];
}

/** What ~/.ssh/config says about one alias (only what VirtDeck's SSH client uses). */
export interface SshHostConfig {
  alias: string;
  hostName: string;
  username?: string;
  port?: number;
  identityFiles: string[];
  identitiesOnly: boolean;
  userKnownHostsFile?: string;
  /** Flattened ProxyJump chain, outermost first; each hop resolved through the config too. */
  jumpHosts: SshJumpHost[];
  /** Directives present for this host that we do not honour (shown to the user as a hint). */
  ignored: string[];
}

export interface SshConfigEnv {
  /** Home directory used for `~` and `%d`. */
  home: string;
  /** Local user name for `%u`. */
  localUser?: string;
  /** User given explicitly (e.g. in the URI); like `ssh -l`, it beats the config's User. */
  username?: string;
}

const MAX_JUMP_DEPTH = 8;
/** Directives that would make OpenSSH behave differently, but that we do not implement. */
const UNSUPPORTED = ['proxycommand', 'include', 'canonicalizehostname', 'hostkeyalias'];

/**
 * Resolves `alias` against the text of an ssh_config file: HostName, User, Port,
 * IdentityFile, IdentitiesOnly, UserKnownHostsFile and ProxyJump. Pure: no file or
 * network access, no `Match exec`, no host name canonicalisation.
 */
export function resolveSshConfig(
  configText: string,
  alias: string,
  env: SshConfigEnv,
): SshHostConfig {
  const config = SSHConfig.parse(configText);
  stripCanonicalisation(config);
  return resolveAlias(config, alias, env, 0);
}

function resolveAlias(
  config: SSHConfig,
  alias: string,
  env: SshConfigEnv,
  depth: number,
): SshHostConfig {
  if (depth > MAX_JUMP_DEPTH) {
    throw new SshError('invalid-input', `ProxyJump chain for "${alias}" is too deep (a loop?)`);
  }
  const query = env.username !== undefined ? { Host: alias, User: env.username } : { Host: alias };
  const computed = config.compute(query, { ignoreCase: true, matchExec: false });
  const one = (key: string): string | undefined => {
    const v = computed[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const rawHostName = one('hostname');
  const hostName = rawHostName
    ? rawHostName.replaceAll('%%', '\0').replaceAll('%h', alias).replaceAll('\0', '%')
    : alias;
  const username = one('user');
  const port = parsePort(one('port'), alias);
  const tokens = { home: env.home, host: hostName, user: username, localUser: env.localUser };
  const identityFiles = listOf(computed['identityfile'])
    .filter((f) => f.toLowerCase() !== 'none')
    .map((f) => expandPath(f, tokens));
  const knownHosts = listOf(computed['userknownhostsfile'])[0];
  const result: SshHostConfig = {
    alias,
    hostName,
    identityFiles,
    identitiesOnly: one('identitiesonly')?.toLowerCase() === 'yes',
    jumpHosts: [],
    ignored: UNSUPPORTED.filter((k) => computed[k] !== undefined),
  };
  if (username !== undefined) result.username = username;
  if (port !== undefined) result.port = port;
  if (knownHosts !== undefined) result.userKnownHostsFile = expandPath(knownHosts, tokens);
  const proxyJump = one('proxyjump');
  if (proxyJump && proxyJump.toLowerCase() !== 'none') {
    result.jumpHosts = resolveJumpChain(config, proxyJump, env, depth);
  }
  return result;
}

/**
 * `ProxyJump a,b,c`: hop `a` is reached the way its own config says (its ProxyJump
 * applies), then b and c each through the previous one — how ssh builds `-J` chains.
 */
function resolveJumpChain(
  config: SSHConfig,
  spec: string,
  env: SshConfigEnv,
  depth: number,
): SshJumpHost[] {
  const chain: SshJumpHost[] = [];
  spec.split(',').forEach((item, index) => {
    const parsed = parseJumpSpec(item.trim());
    const hopEnv: SshConfigEnv = {
      home: env.home,
      localUser: env.localUser,
      username: parsed.username,
    };
    const resolved = resolveAlias(config, parsed.host, hopEnv, depth + 1);
    if (index === 0) chain.push(...resolved.jumpHosts);
    const hop: SshJumpHost = { host: resolved.hostName };
    const port = parsed.port ?? resolved.port;
    if (port !== undefined) hop.port = port;
    const username = parsed.username ?? resolved.username;
    if (username !== undefined) hop.username = username;
    if (resolved.identityFiles.length) hop.identityFiles = resolved.identityFiles;
    chain.push(hop);
  });
  return chain;
}

/** `[user@]host[:port]`, `user@[v6addr]:port` or `ssh://[user@]host[:port]`. */
export function parseJumpSpec(spec: string): { host: string; port?: number; username?: string } {
  let rest = spec.startsWith('ssh://') ? spec.slice(6).replace(/\/$/, '') : spec;
  let username: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    username = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let host = rest;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
  } else if (rest.split(':').length === 2) {
    [host, portText] = rest.split(':') as [string, string];
  }
  if (!host || /[\s/]/.test(host) || (username !== undefined && !/^[^\s@:/]+$/.test(username))) {
    throw new SshError('invalid-input', `Malformed ProxyJump entry "${spec}"`);
  }
  const out: { host: string; port?: number; username?: string } = { host };
  const port = parsePort(portText, spec);
  if (port !== undefined) out.port = port;
  if (username !== undefined) out.username = username;
  return out;
}

function parsePort(text: string | undefined, where: string): number | undefined {
  if (text === undefined) return undefined;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new SshError('invalid-input', `Bad port "${text}" for "${where}" in ssh config`);
  }
  return port;
}

function listOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

interface PathTokens {
  home: string;
  host: string;
  user: string | undefined;
  localUser: string | undefined;
}

/** ssh_config TOKENS that make sense for file names: ~ %d %h %r %u %%. */
function expandPath(path: string, t: PathTokens): string {
  let out = path;
  if (out === '~' || out.startsWith('~/')) out = t.home + out.slice(1);
  return out.replace(/%([%dhru])/g, (whole, token: string) => {
    switch (token) {
      case '%':
        return '%';
      case 'd':
        return t.home;
      case 'h':
        return t.host;
      case 'r':
        return t.user ?? whole;
      default:
        return t.localUser ?? whole;
    }
  });
}

/**
 * With `CanonicalizeHostName yes` and `CanonicalDomains`, ssh-config's compute() runs
 * nslookup; dropping CanonicalDomains keeps resolution pure (and we do not canonicalise).
 */
function stripCanonicalisation(config: SSHConfig): void {
  const keep = (line: Line): boolean =>
    !('param' in line && /^CanonicalDomains$/i.test(line.param));
  for (let i = config.length - 1; i >= 0; i--) {
    const line = config[i] as Line;
    if (!keep(line)) {
      config.splice(i, 1);
      continue;
    }
    if ('config' in line) stripCanonicalisation(line.config);
  }
}
