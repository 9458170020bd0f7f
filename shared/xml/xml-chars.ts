import { XmlEditError } from './xml-edit-error';

// XML 1.0 (5th edition) productions for Name and Char.
const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF' +
  '\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD' +
  '\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
// The ranges include combining marks (U+0300–U+036F) on purpose: XML allows them after the
// first character. The rule cannot see that these are ranges, not composed characters.
// eslint-disable-next-line no-misleading-character-class
const NAME_RE = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u');
const INVALID_CHAR_RE = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function isXmlName(name: string): boolean {
  return NAME_RE.test(name);
}

/** True when `code` may appear in an XML 1.0 document. */
export function isXmlCodePoint(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Index of the first character XML cannot carry (controls, lone surrogates), or -1. */
export function findInvalidXmlChar(value: string): number {
  const match = INVALID_CHAR_RE.exec(value);
  return match ? match.index : -1;
}

export function assertXmlName(name: string, what: string): void {
  if (!isXmlName(name)) throw new XmlEditError(`${what} '${name}' is not a valid XML name`);
}

export function assertXmlChars(value: string, what: string): void {
  const at = findInvalidXmlChar(value);
  if (at >= 0) {
    const code = value.codePointAt(at) ?? 0;
    throw new XmlEditError(
      `${what} contains a character XML cannot carry (U+${code.toString(16).toUpperCase().padStart(4, '0')})`,
    );
  }
}
