import type { OsDetection, OsEntry } from '../../../shared/contract/new-vm';
import type { OsCatalogIndex } from './read-os-catalog';

/**
 * The OS of install media: the ISO's volume label against osinfo's media rules first (what
 * libosinfo does), else the file or volume name against the OS short ids
 * (`debian-11.5.0-amd64-netinst.iso` → debian11).
 */
export function detectOs(
  index: OsCatalogIndex,
  media: { volumeId: string | null; fileName: string },
): OsDetection {
  const volumeId = media.volumeId;
  if (volumeId) {
    const order = new Map(index.catalog.oses.map((o, i) => [o.id, i]));
    const hits = index.mediaRules
      .filter((r) => r.volumeId.test(volumeId))
      // Several releases may share a label pattern: the newest listed wins.
      .sort((a, b) => (order.get(a.osId) ?? 1e9) - (order.get(b.osId) ?? 1e9));
    const hit = hits[0];
    if (hit) return { osId: hit.osId, matchedBy: 'volume-id', volumeId };
  }
  const byName = matchName(index.catalog.oses, media.fileName);
  return { osId: byName?.id ?? null, matchedBy: byName ? 'name' : null, volumeId };
}

/** `Debian-11.5.0_amd64 netinst.ISO` → `debian11.5.0amd64netinst` */
function compact(fileName: string): string {
  const base = fileName.split('/').pop() ?? fileName;
  return base
    .toLowerCase()
    .replace(/\.(iso|img|qcow2|raw|vmdk|xz|gz)$/g, '')
    .replace(/[\s_-]+/g, '');
}

function matchName(oses: readonly OsEntry[], fileName: string): OsEntry | null {
  const name = compact(fileName);
  if (name === '') return null;
  // The longest short id the name starts with, and that is not followed by another digit
  // (`win1` must not take `win11…`).
  let best: { os: OsEntry; length: number } | null = null;
  for (const os of oses) {
    const id = os.shortId.toLowerCase().replace(/[\s_-]+/g, '');
    if (id === '' || !name.startsWith(id) || /\d/.test(name.charAt(id.length))) continue;
    if (!best || id.length > best.length) best = { os, length: id.length };
  }
  if (best) return best.os;
  return newestOfDistro(oses, name);
}

/**
 * A release osinfo-db does not know yet (`debian12` in a 2022 database): the newest known
 * release of that distro up to the name's version, whose devices the new one still has.
 */
function newestOfDistro(oses: readonly OsEntry[], name: string): OsEntry | null {
  const m = /^([a-z]+)(\d+)/.exec(name);
  if (!m?.[1] || !m[2]) return null;
  const word = m[1];
  const wanted = Number(m[2]);
  let best: { os: OsEntry; version: number } | null = null;
  for (const os of oses) {
    const id = os.shortId.toLowerCase();
    if (!id.startsWith(word) || !/^\d/.test(id.slice(word.length))) continue;
    const version = Number.parseFloat(os.version);
    if (!Number.isFinite(version) || version > wanted) continue;
    if (!best || version > best.version) best = { os, version };
  }
  return best?.os ?? null;
}
