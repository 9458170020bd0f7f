import { ConfigFileError, InvalidUriError } from '../errors';
import {
  libvirtConfPath,
  loadLibvirtClientConfig,
  type ConfigLocation,
  type LibvirtClientConfig,
} from './libvirt-conf';

/** Looks up a name among aliases kept outside libvirt.conf (e.g. VirtDeck's saved hosts). */
export type AliasSource = (name: string) => string | undefined | Promise<string | undefined>;

export interface ResolveUriOptions extends ConfigLocation {
  /** Path of libvirt.conf; default: libvirt's location for this user. */
  configPath?: string;
  /** Already-loaded configuration (skips reading configPath). null = none. */
  config?: LibvirtClientConfig | null;
  /** Consulted after libvirt.conf's uri_aliases. */
  extraAliases?: AliasSource;
  /** VIR_CONNECT_NO_ALIASES: use the name as given. */
  noAliases?: boolean;
}

export interface ResolvedUri {
  /** The URI to parse and open. */
  readonly uri: string;
  /** Where the name came from. */
  readonly source: 'explicit' | 'env' | 'config';
  /** The alias that was expanded, if any. */
  readonly alias: string | null;
  readonly config: LibvirtClientConfig | null;
}

const ALIAS_NAME = /^[A-Za-z0-9_-]*$/;

/**
 * libvirt's uri_aliases lookup (virURIFindAliasMatch): entries are checked in order; a
 * malformed entry met before a match fails the whole lookup, as it does in libvirt.
 */
export function findUriAlias(
  aliases: readonly string[],
  name: string,
  file: string,
): string | undefined {
  for (const entry of aliases) {
    const eq = entry.indexOf('=');
    if (eq < 0) {
      throw new ConfigFileError(
        file,
        null,
        `Malformed 'uri_aliases' config entry '${entry}', expected 'alias=uri://host/path'`,
      );
    }
    const alias = entry.slice(0, eq);
    if (!ALIAS_NAME.test(alias)) {
      throw new ConfigFileError(
        file,
        null,
        `Malformed 'uri_aliases' config entry '${entry}', aliases may only contain 'a-Z, 0-9, _, -'`,
      );
    }
    if (alias === name) return entry.slice(eq + 1);
  }
  return undefined;
}

/**
 * Picks the URI to open the way virConnectOpen does: the explicit name (empty = none),
 * else LIBVIRT_DEFAULT_URI, else uri_default from libvirt.conf; then aliases are applied
 * to whichever was chosen (so LIBVIRT_DEFAULT_URI=myalias works).
 */
export async function resolveUri(
  requested: string | null | undefined,
  options: ResolveUriOptions = {},
): Promise<ResolvedUri> {
  const config =
    options.config !== undefined
      ? options.config
      : await loadLibvirtClientConfig(options.configPath ?? libvirtConfPath(options));
  const env = options.env ?? process.env;

  let uri: string | null = requested ? requested : null;
  let source: ResolvedUri['source'] = 'explicit';
  if (uri === null && env.LIBVIRT_DEFAULT_URI) {
    uri = env.LIBVIRT_DEFAULT_URI;
    source = 'env';
  }
  if (uri === null && config?.uriDefault) {
    uri = config.uriDefault;
    source = 'config';
  }
  if (uri === null) {
    throw new InvalidUriError(
      '',
      'No connection URI given, and neither LIBVIRT_DEFAULT_URI nor uri_default in ' +
        `${config?.file ?? 'libvirt.conf'} names one`,
    );
  }
  // Back-compat rewrites done by virConnectOpenInternal before anything else.
  if (uri.toLowerCase() === 'xen' || uri === 'xen://') uri = 'xen:///system';

  let alias: string | null = null;
  if (!options.noAliases) {
    const expanded =
      (config ? findUriAlias(config.uriAliases, uri, config.file) : undefined) ??
      (await options.extraAliases?.(uri));
    if (expanded !== undefined) {
      alias = uri;
      uri = expanded;
    }
  }
  return { uri, source, alias, config };
}
