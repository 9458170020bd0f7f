import { findInvalidXmlChar } from './xml-chars';
import { ENTITY_REF_RE, resolveEntity } from './xml-entities';
import { XmlParseError } from './xml-parse-error';
import { xmlPosition } from './xml-position';

export interface ScannedProcessingInstruction {
  readonly target: string;
  readonly body: string;
}

/**
 * What fast-xml-parser's validator does not check or its parser does not keep: entity
 * references, DOCTYPE, content outside the root, and the raw text of processing instructions
 * (the parser keeps only attribute-like PI bodies). Runs after the validator, so the
 * markup is known to be balanced.
 */
export function scanXmlLexical(text: string): ScannedProcessingInstruction[] {
  const fail = (message: string, code: string, index: number): never => {
    const { line, column } = xmlPosition(text, index);
    throw new XmlParseError(message, code, line, column);
  };
  const invalid = findInvalidXmlChar(text);
  if (invalid >= 0) fail('character not allowed in XML', 'InvalidChar', invalid);

  const checkReference = (index: number): number => {
    ENTITY_REF_RE.lastIndex = index;
    const match = ENTITY_REF_RE.exec(text);
    if (!match || resolveEntity(match[1], match[2], match[3]) === undefined) {
      const shown = /^&[^\s;&<]{0,20};?/.exec(text.slice(index))?.[0] ?? '&';
      fail(`undefined or malformed entity reference '${shown}'`, 'InvalidEntity', index);
    }
    return index + (match?.[0].length ?? 1);
  };
  const find = (needle: string, from: number, what: string, start: number): number => {
    const at = text.indexOf(needle, from);
    if (at < 0) fail(`unterminated ${what}`, 'Unterminated', start);
    return at;
  };

  const instructions: ScannedProcessingInstruction[] = [];
  let depth = 0;
  let rootSeen = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '&') {
      if (depth === 0) fail('text outside the root element', 'TextOutsideRoot', i);
      i = checkReference(i);
    } else if (ch !== '<') {
      if (depth === 0 && !/\s/.test(ch ?? '')) {
        fail('text outside the root element', 'TextOutsideRoot', i);
      }
      i += 1;
    } else if (text.startsWith('<!--', i)) {
      i = find('-->', i + 4, 'comment', i) + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      if (depth === 0) fail('CDATA outside the root element', 'TextOutsideRoot', i);
      i = find(']]>', i + 9, 'CDATA section', i) + 3;
    } else if (text.startsWith('<?', i)) {
      const end = find('?>', i + 2, 'processing instruction', i);
      const raw = text.slice(i + 2, end);
      const target = /^[^\s?]+/.exec(raw)?.[0] ?? '';
      instructions.push({ target, body: raw.slice(target.length).replace(/^\s+/, '') });
      i = end + 2;
    } else if (text.startsWith('<!', i)) {
      // DOCTYPE brings entity definitions (and their expansion attacks); libvirt never emits one.
      fail('DOCTYPE and other markup declarations are not supported', 'Doctype', i);
    } else {
      i = scanTag(i);
    }
  }
  return instructions;

  function scanTag(start: number): number {
    const closing = text[start + 1] === '/';
    let quote: string | undefined;
    let j = start + 1;
    for (; j < text.length; j += 1) {
      const c = text[j];
      if (quote !== undefined) {
        if (c === quote) quote = undefined;
        else if (c === '<') fail("'<' is not allowed in an attribute value", 'InvalidAttr', j);
        else if (c === '&') j = checkReference(j) - 1;
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === '>') {
        break;
      }
    }
    if (j >= text.length) fail('unterminated tag', 'Unterminated', start);
    const selfClosing = text[j - 1] === '/';
    if (closing) {
      depth -= 1;
    } else {
      if (depth === 0) {
        if (rootSeen) fail('only one root element is allowed', 'MultipleRoots', start);
        rootSeen = true;
      }
      if (!selfClosing) depth += 1;
    }
    return j + 1;
  }
}
