import { isXmlCodePoint } from './xml-chars';

const NAMED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  apos: "'",
  quot: '"',
};

/** One entity or character reference: `&lt;`, `&#10;`, `&#x1F600;`. */
export const ENTITY_REF_RE = /&(?:([A-Za-z][A-Za-z0-9]*)|#([0-9]+)|#x([0-9A-Fa-f]+));/y;

/**
 * The character a reference stands for, or undefined when XML does not define it (an
 * unknown name, or a code point XML cannot carry).
 */
export function resolveEntity(
  name: string | undefined,
  decimal: string | undefined,
  hex: string | undefined,
): string | undefined {
  if (name !== undefined) return NAMED[name];
  const code = decimal !== undefined ? Number(decimal) : parseInt(hex ?? '', 16);
  if (!Number.isSafeInteger(code) || !isXmlCodePoint(code)) return undefined;
  return String.fromCodePoint(code);
}

/** Decodes references in text already checked by the lexical scan. */
export function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(
    /&(?:([A-Za-z][A-Za-z0-9]*)|#([0-9]+)|#x([0-9A-Fa-f]+));/g,
    (ref: string, name?: string, decimal?: string, hex?: string) =>
      resolveEntity(name, decimal, hex) ?? ref,
  );
}

// libvirt escapes all five specials in text and attributes alike; doing the same keeps our
// output byte-equal to libvirt's for the documents it formats.
const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  "'": '&apos;',
  '"': '&quot;',
  '\r': '&#13;',
};

const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  // A parser turns literal newlines and tabs in attribute values into spaces; references survive.
  '\n': '&#10;',
  '\t': '&#9;',
};

export function escapeText(value: string): string {
  return value.replace(/[&<>'"\r]/g, (ch) => TEXT_ESCAPES[ch] ?? ch);
}

export function escapeAttribute(value: string): string {
  return value.replace(/[&<>'"\r\n\t]/g, (ch) => ATTRIBUTE_ESCAPES[ch] ?? ch);
}
