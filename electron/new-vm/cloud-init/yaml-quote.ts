/**
 * One YAML scalar as a double-quoted string. We write cloud-init's YAML by hand (no YAML library
 * in the app), so every value goes through here: a double-quoted scalar is the only YAML style
 * in which any text — `: `, `#`, leading `*`/`&`/`!`, `yes`/`no`/`null`, numbers — stays a
 * string, and its escapes cover every character that could end the line or the document.
 * The escapes used are those of YAML 1.1, which PyYAML (what cloud-init parses with) reads.
 */
export function yamlQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (NAMED[cp] !== undefined) out += `\\${NAMED[cp]}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) {
      // A lone surrogate (for..of yields pairs whole) cannot be written as UTF-8 at all.
      throw new Error('The text is not valid Unicode (a lone surrogate)');
    } else if (printable(cp)) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

/** Short escapes for the controls and Unicode line breaks (which YAML would fold or split on). */
const NAMED: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x85: 'N',
  0x2028: 'L',
  0x2029: 'P',
};

/**
 * YAML's printable set minus what we always escape: DEL, the C1 controls, the BOM (a reader
 * may drop it) and the non-characters.
 */
function printable(cp: number): boolean {
  return (
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');
