import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { scanXmlLexical, type ScannedProcessingInstruction } from './scan-xml-lexical';
import { dropFormattingWhitespace } from './formatting-whitespace';
import { decodeEntities } from './xml-entities';
import type { XmlAttribute, XmlDocument, XmlNode } from './xml-node';
import { XmlParseError } from './xml-parse-error';

const TEXT = '#text';
const COMMENT = '#comment';
const CDATA = '#cdata';
const ATTRIBUTES = ':@';
const ATTRIBUTE_PREFIX = '@_';

// Order-preserving, and nothing interpreted: no trimming, no number parsing, no entity
// expansion (we decode the five XML entities and character references ourselves, after the
// lexical scan has rejected anything else). '#'-names cannot collide with XML names.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  allowBooleanAttributes: false,
  textNodeName: TEXT,
  commentPropName: COMMENT,
  cdataPropName: CDATA,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: false,
  ignorePiTags: false,
  removeNSPrefix: false,
  // Names such as `toString` are harmless in our arrays of one-key objects: keep them as is.
  onDangerousProperty: (name: string) => name,
  // We use no callbacks; a matcher instead of a path string saves building one per node.
  jPath: false,
});

type OrderedNode = Record<string, unknown>;

/**
 * Parses XML into the lossless model. Line endings are normalised to LF (as XML requires);
 * whitespace-only text between elements is dropped, because the serialiser re-indents
 * element-only content. Any other text is kept exactly.
 *
 * @throws XmlParseError for input that is not well-formed, with line and column when known.
 */
export function parseXml(text: string): XmlDocument {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const validation = XMLValidator.validate(source, { allowBooleanAttributes: false });
  if (validation !== true) {
    const { code, msg, line, col } = validation.err;
    throw new XmlParseError(msg, code, line, col);
  }
  const instructions = scanXmlLexical(source);
  let ordered: unknown;
  try {
    ordered = parser.parse(source);
  } catch (cause) {
    // fast-xml-parser refuses names such as `__proto__` and very deep nesting.
    const message = cause instanceof Error ? cause.message : 'unparseable XML';
    throw new XmlParseError(message, 'ParserRejected');
  }
  const pis = [...instructions];
  const children = convertChildren(asArray(ordered), pis);
  if (pis.length !== 0) {
    throw new XmlParseError('processing instructions could not be matched', 'Internal');
  }
  return { kind: 'document', children: children.filter((node) => node.kind !== 'text') };
}

function convertChildren(items: unknown[], pis: ScannedProcessingInstruction[]): XmlNode[] {
  const nodes: XmlNode[] = [];
  for (const item of items) {
    const node = convertNode(item as OrderedNode, pis);
    if (node === undefined) continue;
    const previous = nodes[nodes.length - 1];
    if (node.kind === 'text' && previous?.kind === 'text') {
      nodes[nodes.length - 1] = { kind: 'text', value: previous.value + node.value };
    } else {
      nodes.push(node);
    }
  }
  return [...dropFormattingWhitespace(nodes)];
}

function convertNode(item: OrderedNode, pis: ScannedProcessingInstruction[]): XmlNode | undefined {
  const key = Object.keys(item).find((k) => k !== ATTRIBUTES);
  if (key === undefined) return undefined;
  const content = item[key];
  if (key === TEXT) {
    const value = decodeEntities(String(content));
    return value === '' ? undefined : { kind: 'text', value };
  }
  if (key === COMMENT) return { kind: 'comment', value: innerText(content) };
  if (key === CDATA) return { kind: 'cdata', value: innerText(content) };
  if (key.startsWith('?')) {
    const scanned = pis.shift();
    if (scanned === undefined || scanned.target !== key.slice(1)) {
      throw new XmlParseError('processing instructions could not be matched', 'Internal');
    }
    return { kind: 'pi', target: scanned.target, body: scanned.body };
  }
  return {
    kind: 'element',
    name: key,
    attributes: convertAttributes(item[ATTRIBUTES]),
    children: convertChildren(asArray(content), pis),
  };
}

function convertAttributes(raw: unknown): XmlAttribute[] {
  if (raw === undefined || raw === null || typeof raw !== 'object') return [];
  return Object.entries(raw as Record<string, unknown>).map(([key, value]) => ({
    name: key.slice(ATTRIBUTE_PREFIX.length),
    // Attribute-value normalisation: literal whitespace becomes a space, references stay.
    value: decodeEntities(String(value).replace(/[\t\n]/g, ' ')),
  }));
}

function innerText(content: unknown): string {
  return asArray(content)
    .map((part) => {
      const value = (part as OrderedNode)[TEXT];
      return value === undefined ? '' : String(value);
    })
    .join('');
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}
