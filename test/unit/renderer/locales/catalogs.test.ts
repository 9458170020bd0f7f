import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import en from '../../../../renderer/src/locales/en.json';
import zhCN from '../../../../renderer/src/locales/zh-CN.json';

const sourceRoot = fileURLToPath(new URL('../../../../renderer/src', import.meta.url));

/** Flattens a catalog to 'a.b.c' → message. */
function leaves(catalog: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') {
      for (const [leaf, message] of leaves(value, path)) out.set(leaf, message);
    } else {
      out.set(path, value);
    }
  }
  return out;
}

function placeholders(message: unknown): string[] {
  return [...String(message).matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(vue|ts)$/.test(entry.name) ? [path] : [];
  });
}

const catalogs = { en: leaves(en), 'zh-CN': leaves(zhCN) };

describe('locale catalogs', () => {
  it('have exactly the same keys', () => {
    expect([...catalogs['zh-CN'].keys()].sort()).toEqual([...catalogs.en.keys()].sort());
  });

  it.each(Object.entries(catalogs))(
    '%s has a non-empty string for every key',
    (_locale, messages) => {
      const bad = [...messages].filter(([, m]) => typeof m !== 'string' || m.trim() === '');
      expect(bad).toEqual([]);
    },
  );

  it('use the same placeholders for each key', () => {
    const mismatched = [...catalogs.en]
      .filter(([key, message]) => {
        const other = catalogs['zh-CN'].get(key);
        return placeholders(other).join() !== placeholders(message).join();
      })
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it('contain every key the renderer source uses', () => {
    const used = new Set<string>();
    const prefixes = new Set<string>();
    for (const file of sourceFiles(sourceRoot)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:t|reportError)\(\s*'([\w.]+)'/g)) used.add(m[1]!);
      // `t(`theme.${value}`)`: at least the fixed part must name a branch of the catalog.
      for (const m of text.matchAll(/\bt\(\s*`([\w.]+)\.\$\{/g)) prefixes.add(`${m[1]!}.`);
    }
    expect(used.size).toBeGreaterThan(10);
    const keys = [...catalogs.en.keys()];
    expect([...used].filter((key) => !catalogs.en.has(key))).toEqual([]);
    expect([...prefixes].filter((p) => !keys.some((key) => key.startsWith(p)))).toEqual([]);
  });
});
