import { CONNECTION_ALIAS_PATTERN } from '../../shared/contract/connections';
import type { SavedConnection } from '../../shared/contract/connections';
import { ConfigFileError } from '../libvirt/errors';
import type { AliasSource } from '../libvirt/uri/resolve-uri';
import { connectionsFilePath, readConnectionsFile } from './connections-file';

/**
 * The saved connection called `alias` (exact, case-sensitive, like libvirt's uri_aliases),
 * read straight from connections.json without changing it: for `vdctl -c ALIAS`. A name
 * that cannot be an alias (a URI) is not looked up; an unreadable file is an error naming it.
 */
export async function resolveSavedAlias(
  configDir: string,
  alias: string,
): Promise<SavedConnection | undefined> {
  if (!CONNECTION_ALIAS_PATTERN.test(alias)) return undefined;
  const file = connectionsFilePath(configDir);
  const read = await readConnectionsFile(file);
  if (read.status === 'absent') return undefined;
  if (read.status === 'invalid') {
    throw new ConfigFileError(
      file,
      null,
      `saved connections are unusable: ${read.problem} (start VirtDeck to move the file aside, or fix it)`,
    );
  }
  return read.connections.find((c) => c.alias === alias);
}

/**
 * An AliasSource for resolveUri / LibvirtClient.open (`extraAliases`): libvirt.conf's
 * uri_aliases are consulted first, then VirtDeck's saved aliases, as in the app.
 */
export function savedAliasSource(configDir: string): AliasSource {
  return async (name) => (await resolveSavedAlias(configDir, name))?.uri;
}
