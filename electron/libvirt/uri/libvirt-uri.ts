import { InvalidUriError } from '../errors';

/** Transports libvirt's remote driver knows (remoteDriverTransport). */
export const URI_TRANSPORTS = ['tls', 'unix', 'ssh', 'libssh2', 'ext', 'tcp', 'libssh'] as const;
export type UriTransport = (typeof URI_TRANSPORTS)[number];

/**
 * Query parameters the remote driver consumes itself; everything else is passed through
 * to the daemon inside the driver URI (remote_driver.c, doRemoteOpen).
 */
export const CLIENT_ONLY_PARAMS = [
  'name',
  'command',
  'socket',
  'auth',
  'sshauth',
  'netcat',
  'keyfile',
  'pkipath',
  'known_hosts',
  'known_hosts_verify',
  'tls_priority',
  'mode',
  'proxy',
  'no_sanity',
  'no_verify',
  'no_tty',
  'authfile',
] as const;
export type ClientParamName = (typeof CLIENT_ONLY_PARAMS)[number];

export const REMOTE_MODES = ['auto', 'legacy', 'direct'] as const;
export type RemoteMode = (typeof REMOTE_MODES)[number];
export const REMOTE_PROXIES = ['auto', 'netcat', 'native'] as const;
export type RemoteProxy = (typeof REMOTE_PROXIES)[number];

const BOOLEAN_PARAMS: ReadonlySet<string> = new Set(['no_sanity', 'no_verify', 'no_tty']);
const clientParamSet: ReadonlySet<string> = new Set(CLIENT_ONLY_PARAMS);

export interface UriParam {
  readonly name: string;
  readonly value: string;
}

/** A connection URI split the way libvirt splits it. */
export interface LibvirtUri {
  readonly text: string;
  /** e.g. 'qemu+ssh' */
  readonly scheme: string;
  /** Hypervisor driver: the scheme before '+', e.g. 'qemu', 'test', 'remote'. */
  readonly driver: string;
  /** Effective transport: the explicit one, else 'tls' with a host and 'unix' without. */
  readonly transport: UriTransport;
  readonly transportExplicit: boolean;
  readonly user: string | null;
  /** Server name; IPv6 addresses without their brackets. */
  readonly host: string | null;
  readonly port: number | null;
  /** e.g. '/system'; '' when the URI has no path. */
  readonly path: string;
  readonly fragment: string | null;
  /** Every query parameter, unescaped, in order. */
  readonly params: readonly UriParam[];
  /** Client-only parameters by lower-case name (the last occurrence wins, like libvirt). */
  readonly client: Readonly<Partial<Record<ClientParamName, string>>>;
  /** Parameters passed through to the daemon in the driver URI. */
  readonly driverParams: readonly UriParam[];
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// Characters no URI may contain raw (RFC 3986); libxml2 refuses them as well.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const FORBIDDEN = /[\s"<>\\^`{|}\u0000-\u001f\u007f]/;

function unescape(text: string, part: string, whole: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InvalidUriError(whole, `Unable to parse URI ${whole}: bad %-escape in the ${part}`);
  }
}

/**
 * Query parameters by libvirt's rules (viruri.c): separated by '&' (';' only where no '&'
 * follows), "name" alone means an empty value, "=value" is ignored, names and values are
 * %-unescaped ('+' stays '+').
 */
function parseParams(query: string, whole: string): UriParam[] {
  const params: UriParam[] = [];
  let rest = query;
  while (rest.length > 0) {
    let end = rest.indexOf('&');
    if (end < 0) end = rest.indexOf(';');
    if (end < 0) end = rest.length;
    const section = rest.slice(0, end);
    rest = rest.slice(end + 1);
    if (section.length === 0) continue;
    const eq = section.indexOf('=');
    if (eq === 0) continue;
    const name = eq < 0 ? section : section.slice(0, eq);
    const value = eq < 0 ? '' : section.slice(eq + 1);
    params.push({ name: unescape(name, 'query', whole), value: unescape(value, 'query', whole) });
  }
  return params;
}

function parseAuthority(authority: string, whole: string) {
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? unescape(authority.slice(0, at), 'user name', whole) : null;
  const hostPort = authority.slice(at + 1);
  let host: string;
  let portText: string | null = null;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0)
      throw new InvalidUriError(whole, `Unable to parse URI ${whole}: unclosed '[' in the host`);
    host = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) {
      throw new InvalidUriError(whole, `Unable to parse URI ${whole}: junk after the IPv6 address`);
    }
    if (after.startsWith(':')) portText = after.slice(1);
  } else {
    const colon = hostPort.indexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    if (colon >= 0) portText = hostPort.slice(colon + 1);
  }
  let port: number | null = null;
  if (portText !== null && portText !== '') {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
      throw new InvalidUriError(whole, `Unable to parse URI ${whole}: invalid port '${portText}'`);
    }
    port = Number(portText);
  }
  const hostName = unescape(host, 'host', whole);
  return { user, host: hostName === '' ? null : hostName, port: hostName === '' ? null : port };
}

function parseBooleanParam(name: string, value: string, whole: string): void {
  // virStrToLong_i: a whole base-10 integer (leading blanks and a sign allowed).
  if (!/^\s*[+-]?\d+$/.test(value)) {
    throw new InvalidUriError(whole, `Failed to parse value of URI component ${name}`);
  }
}

/** Parses a connection URI; throws InvalidUriError with libvirt's wording where it has one. */
export function parseLibvirtUri(text: string): LibvirtUri {
  const scheme = SCHEME.exec(text)?.[1];
  if (!scheme) throw new InvalidUriError(text, `URI '${text}' does not include a driver name`);
  if (FORBIDDEN.test(text)) {
    throw new InvalidUriError(
      text,
      `Unable to parse URI ${text}: it contains a character URIs cannot hold`,
    );
  }
  let rest = text.slice(scheme.length + 1);
  const hash = rest.indexOf('#');
  const fragment = hash >= 0 ? unescape(rest.slice(hash + 1), 'fragment', text) : null;
  if (hash >= 0) rest = rest.slice(0, hash);
  const qmark = rest.indexOf('?');
  const params = qmark >= 0 ? parseParams(rest.slice(qmark + 1), text) : [];
  if (qmark >= 0) rest = rest.slice(0, qmark);

  let authority = {
    user: null as string | null,
    host: null as string | null,
    port: null as number | null,
  };
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    authority = parseAuthority(rest.slice(2, slash < 0 ? undefined : slash), text);
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  const path = unescape(rest, 'path', text);

  // virConnectCheckURIMissingSlash: only drivers that need a path, exact scheme match.
  if (
    ['qemu', 'vbox', 'vz'].includes(scheme) &&
    (authority.host === 'system' || authority.host === 'session')
  ) {
    throw new InvalidUriError(
      text,
      `invalid URI ${text} (maybe you want ${scheme}:///${authority.host})`,
    );
  }

  const plus = scheme.indexOf('+');
  const driver = plus >= 0 ? scheme.slice(0, plus) : scheme;
  let transport: UriTransport;
  if (plus >= 0) {
    const requested = scheme.slice(plus + 1).toLowerCase();
    if (!(URI_TRANSPORTS as readonly string[]).includes(requested)) {
      throw new InvalidUriError(
        text,
        `transport '${scheme.slice(plus + 1)}' in URI ${text} not recognised ` +
          '(should be tls|unix|ssh|ext|tcp|libssh2|libssh)',
      );
    }
    transport = requested as UriTransport;
    if (transport === 'unix' && authority.host !== null) {
      throw new InvalidUriError(
        text,
        `using unix socket and remote server '${authority.host}' is not supported.`,
      );
    }
  } else {
    transport = authority.host !== null ? 'tls' : 'unix';
  }

  const client: Partial<Record<ClientParamName, string>> = {};
  const driverParams: UriParam[] = [];
  for (const p of params) {
    const lower = p.name.toLowerCase();
    if (!clientParamSet.has(lower)) {
      driverParams.push(p);
      continue;
    }
    if (BOOLEAN_PARAMS.has(lower)) parseBooleanParam(p.name, p.value, text);
    if (lower === 'mode' && !(REMOTE_MODES as readonly string[]).includes(p.value)) {
      throw new InvalidUriError(text, `Unknown remote mode '${p.value}'`);
    }
    if (lower === 'proxy' && !(REMOTE_PROXIES as readonly string[]).includes(p.value)) {
      throw new InvalidUriError(text, `Unknown proxy type '${p.value}'`);
    }
    client[lower as ClientParamName] = p.value;
  }

  return {
    text,
    scheme,
    driver,
    transport,
    transportExplicit: plus >= 0,
    ...authority,
    path,
    fragment,
    params,
    client,
    driverParams,
  };
}

/** A client boolean parameter (no_verify, no_tty, no_sanity): set and non-zero. */
export function clientFlag(uri: LibvirtUri, name: 'no_sanity' | 'no_verify' | 'no_tty'): boolean {
  const value = uri.client[name];
  return value !== undefined && Number.parseInt(value, 10) !== 0;
}

// Escaping as libvirt's formatter does: keep RFC 3986 unreserved characters only.
const escapeParam = (s: string): string =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
const escapePath = (s: string): string =>
  s.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/gu, (c) => encodeURIComponent(c));

/**
 * The URI the daemon gets in CONNECT_OPEN: the driver without transport, user, host, port
 * and client-only parameters ('qemu+ssh://root@h/system?keyfile=k&x=1' → 'qemu:///system?x=1').
 * `?name=` overrides it; the 'remote' driver sends '' so the daemon picks its default.
 */
export function driverUri(uri: LibvirtUri): string {
  if (uri.client.name !== undefined) return uri.client.name;
  if (uri.driver === 'remote') return '';
  const query = uri.driverParams.map((p) => `${p.name}=${escapeParam(p.value)}`).join('&');
  return (
    `${uri.driver}://${escapePath(uri.path)}` +
    (query ? `?${query}` : '') +
    (uri.fragment !== null ? `#${escapePath(uri.fragment)}` : '')
  );
}
