/**
 * A `.treeinfo` file (INI, as Python's configparser reads it — what anaconda's tools and
 * productmd write): sections of `key = value` lines. Keys are case-insensitive, as there.
 */
export type Treeinfo = Map<string, Map<string, string>>;

export function parseTreeinfo(text: string): Treeinfo {
  const sections: Treeinfo = new Map();
  let current: Map<string, string> | null = null;
  let lastKey: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*([#;]|$)/.test(raw)) continue;
    const header = /^\[([^\]]+)\]\s*$/.exec(raw);
    if (header?.[1] !== undefined) {
      const name = header[1].trim().toLowerCase();
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      lastKey = null;
      continue;
    }
    // configparser: an indented line continues the previous value.
    if (/^\s/.test(raw) && current && lastKey !== null) {
      current.set(lastKey, `${current.get(lastKey) ?? ''}\n${raw.trim()}`);
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (!kv?.[1] || !current) continue;
    lastKey = kv[1].trim().toLowerCase();
    current.set(lastKey, (kv[2] ?? '').trim());
  }
  return sections;
}

/** The OS the tree says it holds: old style `[general]`, productmd's `[release]`. */
export function treeinfoRelease(info: Treeinfo): { family: string | null; version: string | null } {
  const pick = (...keys: [string, string][]) => {
    for (const [section, key] of keys) {
      const v = info.get(section)?.get(key);
      if (v) return v;
    }
    return null;
  };
  return {
    family: pick(['release', 'name'], ['general', 'family']),
    version: pick(['release', 'version'], ['general', 'version']),
  };
}

/** Architectures the tree has boot images for (`[images-<arch>]` sections). */
export function treeinfoArches(info: Treeinfo): string[] {
  return [...info.keys()].filter((s) => s.startsWith('images-')).map((s) => s.slice(7));
}
