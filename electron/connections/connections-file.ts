import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { savedConnectionSchema } from '../../shared/contract/connections';
import type { SavedConnection } from '../../shared/contract/connections';

export const CONNECTIONS_FILE = 'connections.json';
/** Bumped when the file's shape changes incompatibly; older files then get migrated here. */
export const CONNECTIONS_FILE_VERSION = 1;

const fileSchema = z
  .object({
    version: z.literal(CONNECTIONS_FILE_VERSION),
    connections: z.array(savedConnectionSchema),
  })
  .strict();

export type ConnectionsFileRead =
  | { status: 'absent' }
  | { status: 'ok'; connections: SavedConnection[] }
  /** `problem` completes "… is unusable: " */
  | { status: 'invalid'; problem: string };

export function connectionsFilePath(configDir: string): string {
  return path.join(configDir, CONNECTIONS_FILE);
}

/** `{ "version": 1, "connections": [ … ] }`, with a trailing newline. */
export function formatConnectionsFile(connections: readonly SavedConnection[]): string {
  return `${JSON.stringify({ version: CONNECTIONS_FILE_VERSION, connections }, null, 2)}\n`;
}

/** Reads and checks connections.json without changing anything (vdctl uses this too). */
export async function readConnectionsFile(file: string): Promise<ConnectionsFileRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'absent' };
    return { status: 'invalid', problem: `it cannot be read (${(err as Error).message})` };
  }
  return parseConnectionsFile(text);
}

export function parseConnectionsFile(text: string): ConnectionsFileRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { status: 'invalid', problem: `it is not valid JSON (${(err as Error).message})` };
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof data !== 'object' || data === null || typeof version !== 'number') {
    return { status: 'invalid', problem: 'it has no numeric "version" field' };
  }
  if (version !== CONNECTIONS_FILE_VERSION) {
    return {
      status: 'invalid',
      problem: `it has version ${version}, and this VirtDeck understands version ${CONNECTIONS_FILE_VERSION}`,
    };
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    return {
      status: 'invalid',
      problem: `its content is invalid (${z.prettifyError(parsed.error)})`,
    };
  }
  const clash = firstClash(parsed.data.connections);
  if (clash) return { status: 'invalid', problem: clash };
  return { status: 'ok', connections: parsed.data.connections };
}

function firstClash(connections: readonly SavedConnection[]): string | null {
  const ids = new Set<string>();
  const aliases = new Set<string>();
  for (const c of connections) {
    if (ids.has(c.id)) return `the id ${c.id} is used twice`;
    if (aliases.has(c.alias)) return `the alias "${c.alias}" is used twice`;
    ids.add(c.id);
    aliases.add(c.alias);
  }
  return null;
}
