import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OsCatalog, OsEntry } from '../../../shared/contract/new-vm';
import { builtinOsList } from './builtin-os-list';
import type { OsinfoRecord } from './osinfo-record';
import { parseOsinfoFile } from './parse-osinfo-file';
import { resolveOsEntry } from './resolve-os-entry';

export const DEFAULT_OSINFO_DIR = '/usr/share/osinfo';

/** A media rule: an ISO volume id pattern of one OS. */
export interface MediaRule {
  osId: string;
  arch: string;
  volumeId: RegExp;
}

/** The catalog the renderer sees, plus what detection needs and the renderer does not. */
export interface OsCatalogIndex {
  catalog: OsCatalog;
  byId: Map<string, OsEntry>;
  mediaRules: MediaRule[];
}

/** Where osinfo-db is read from: VIRTDECK_OSINFO_DIR (tests), else the system's. */
export function osinfoDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.VIRTDECK_OSINFO_DIR || DEFAULT_OSINFO_DIR;
}

const cache = new Map<string, Promise<OsCatalogIndex>>();

/**
 * The OS catalog from osinfo-db in `dir`, parsed once per folder and kept in memory (800
 * files, a few MB: reading them on every wizard opening would be wasted work).
 */
export function readOsCatalog(dir: string = osinfoDir()): Promise<OsCatalogIndex> {
  let found = cache.get(dir);
  if (!found) {
    found = loadCatalog(dir);
    cache.set(dir, found);
    // A failure must not stick: the next call tries again.
    found.catch(() => cache.delete(dir));
  }
  return found;
}

async function loadCatalog(dir: string): Promise<OsCatalogIndex> {
  const osDir = path.join(dir, 'os');
  const files = await listXmlFiles(osDir);
  if (files === null || files.length === 0) {
    return builtinIndex(`osinfo-db was not found in ${dir}; showing a short generic list`);
  }
  const records: OsinfoRecord[] = [];
  for (const file of files) {
    // One broken file must not hide every OS; libosinfo skips unreadable ones too.
    try {
      records.push(...parseOsinfoFile(await readFile(file, 'utf8')));
    } catch {
      continue;
    }
  }
  if (records.length === 0) {
    return builtinIndex(
      `osinfo-db in ${dir} has no readable OS entries; showing a short generic list`,
    );
  }
  const version = await readFile(path.join(dir, 'VERSION'), 'utf8').then(
    (t) => t.trim() || null,
    () => null,
  );
  const recordById = new Map<string, OsinfoRecord>();
  for (const r of records) {
    const seen = recordById.get(r.id);
    recordById.set(r.id, seen ? mergeRecords(seen, r) : r);
  }
  const today = new Date().toISOString().slice(0, 10);
  const oses = [...recordById.values()]
    .map((r) => resolveOsEntry(r, (id) => recordById.get(id), today))
    .sort(compareEntries);
  const mediaRules: MediaRule[] = [];
  for (const r of recordById.values()) {
    for (const m of r.mediaVolumeIds) {
      const volumeId = safeRegExp(m.pattern);
      if (volumeId) mediaRules.push({ osId: r.id, arch: m.arch, volumeId });
    }
  }
  return {
    catalog: { source: 'osinfo-db', note: `Read from ${dir}`, version, oses },
    byId: new Map(oses.map((o) => [o.id, o])),
    mediaRules,
  };
}

/**
 * libosinfo reads an OS's `win-10.d/*.xml` extras (drivers, more media) into the same
 * entry: later files add to what the main file said, they never blank it.
 */
function mergeRecords(a: OsinfoRecord, b: OsinfoRecord): OsinfoRecord {
  return {
    ...a,
    shortIds: a.shortIds.length > 0 ? a.shortIds : b.shortIds,
    name: a.name || b.name,
    vendor: a.vendor || b.vendor,
    family: a.family || b.family,
    distro: a.distro || b.distro,
    version: a.version || b.version,
    releaseDate: a.releaseDate ?? b.releaseDate,
    eolDate: a.eolDate ?? b.eolDate,
    parents: [...new Set([...a.parents, ...b.parents])],
    resources: new Map([...b.resources, ...a.resources]),
    devices: new Map([...a.devices, ...b.devices]),
    firmware: [...a.firmware, ...b.firmware],
    trees: [...a.trees, ...b.trees],
    images: [...a.images, ...b.images],
    mediaVolumeIds: [...a.mediaVolumeIds, ...b.mediaVolumeIds],
  };
}

function builtinIndex(note: string): OsCatalogIndex {
  const oses = builtinOsList();
  return {
    catalog: { source: 'builtin', note, version: null, oses },
    byId: new Map(oses.map((o) => [o.id, o])),
    mediaRules: [],
  };
}

async function listXmlFiles(dir: string): Promise<string[] | null> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && e.name.endsWith('.xml'))
      .map((e) => path.join(e.parentPath, e.name))
      .sort();
  } catch {
    return null;
  }
}

/** osinfo writes POSIX-style patterns; a few would not compile in JS and are skipped. */
function safeRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern);
  } catch {
    return null;
  }
}

/** Newest first; end-of-life releases after the rest. */
function compareEntries(a: OsEntry, b: OsEntry): number {
  if (a.eol !== b.eol) return a.eol ? 1 : -1;
  const da = a.releaseDate ?? '';
  const db = b.releaseDate ?? '';
  if (da !== db) return da < db ? 1 : -1;
  return a.name.localeCompare(b.name);
}
