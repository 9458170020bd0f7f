/**
 * Reader for the parts of libvirt's API description (libvirt-api.xml, from libvirt-dev)
 * the generator uses: `<enum>` values and simple numeric `<macro>`s. The file is
 * machine-written with single-quoted attributes, so a tolerant scanner is enough; it
 * fails loudly on anything it does not understand rather than guessing.
 */

export interface ApiEnum {
  name: string;
  file: string;
  /** C enum type, e.g. 'virDomainState'. */
  type: string;
  value: number;
}

export interface ApiDescription {
  enums: ApiEnum[];
  /** Macros whose raw text is a plain number or a sum like `(256 + 1)`. */
  numericMacros: ReadonlyMap<string, number>;
  /** Macros that name a string (`string='migrate_uri'`): typed-parameter field names. */
  stringMacros: ReadonlyMap<string, string>;
}

export class ApiXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiXmlError';
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (all, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? all;
  });
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z_][\w-]*)\s*=\s*(?:'([^']*)'|"([^"]*)")/g;
  for (let m = re.exec(tag); m !== null; m = re.exec(tag)) {
    out.set(m[1] ?? '', decodeEntities(m[2] ?? m[3] ?? ''));
  }
  return out;
}

function elements(xml: string, tag: string): Map<string, string>[] {
  // Attribute values may hold a bare '>', so match quoted values rather than [^>]*.
  const re = new RegExp(`<${tag}((?:\\s+[\\w-]+\\s*=\\s*(?:'[^']*'|"[^"]*"))*)\\s*/?>`, 'g');
  const out: Map<string, string>[] = [];
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) out.push(attributes(m[1] ?? ''));
  return out;
}

function numeric(text: string): number | null {
  const t = text.trim();
  if (/^-?\d+$/.test(t)) return Number(t);
  if (/^-?0x[0-9a-fA-F]+$/.test(t)) return t.startsWith('-') ? -Number(t.slice(1)) : Number(t);
  return null;
}

/** Sum of terms like `(256 + 1)` or `(16)`; null for anything else. */
function macroNumber(raw: string): number | null {
  const m = /^\(?\s*([0-9+\s]+?)\s*\)?$/.exec(raw.trim());
  if (m === null) return null;
  const terms = (m[1] ?? '').split('+').map((x) => numeric(x));
  if (terms.length === 0 || terms.some((x) => x === null)) return null;
  return terms.reduce<number>((a, b) => a + (b ?? 0), 0);
}

export function parseApiXml(xml: string, source: string): ApiDescription {
  const raw = elements(xml, 'enum');
  if (raw.length === 0) throw new ApiXmlError(`${source}: no <enum> elements found`);
  const pending = new Map<string, { file: string; type: string; value: string }>();
  for (const a of raw) {
    const name = a.get('name');
    const file = a.get('file');
    const type = a.get('type');
    const value = a.get('value');
    if (!name || !file || !type || value === undefined) {
      throw new ApiXmlError(
        `${source}: <enum> lacks name/file/type/value: ${JSON.stringify([...a])}`,
      );
    }
    if (pending.has(name)) throw new ApiXmlError(`${source}: enum ${name} appears twice`);
    pending.set(name, { file, type, value });
  }
  // Some values name another enum (VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE =
  // VIR_CONNECT_LIST_DOMAINS_ACTIVE); resolve them, refusing cycles and unknown names.
  const resolved = new Map<string, number>();
  const resolve = (name: string, seen: Set<string>): number => {
    const done = resolved.get(name);
    if (done !== undefined) return done;
    const e = pending.get(name);
    if (e === undefined) throw new ApiXmlError(`${source}: enum value refers to unknown '${name}'`);
    const n = numeric(e.value);
    let v: number;
    if (n !== null) {
      v = n;
    } else if (/^[A-Z_][A-Z0-9_]*$/.test(e.value)) {
      if (seen.has(name)) throw new ApiXmlError(`${source}: enum ${name} refers to itself`);
      seen.add(name);
      v = resolve(e.value, seen);
    } else {
      throw new ApiXmlError(`${source}: enum ${name} has a value I cannot evaluate: '${e.value}'`);
    }
    if (!Number.isSafeInteger(v))
      throw new ApiXmlError(`${source}: enum ${name} value ${e.value} is out of range`);
    resolved.set(name, v);
    return v;
  };
  const enums: ApiEnum[] = [];
  for (const [name, e] of pending) {
    enums.push({ name, file: e.file, type: e.type, value: resolve(name, new Set()) });
  }
  enums.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const numericMacros = new Map<string, number>();
  const stringMacros = new Map<string, string>();
  for (const a of elements(xml, 'macro')) {
    const name = a.get('name');
    if (!name || a.has('params')) continue;
    const str = a.get('string');
    if (str !== undefined) {
      stringMacros.set(name, str);
      continue;
    }
    const rawText = a.get('raw');
    if (rawText === undefined) continue;
    const v = macroNumber(rawText);
    if (v !== null) numericMacros.set(name, v);
  }
  return { enums, numericMacros, stringMacros };
}
