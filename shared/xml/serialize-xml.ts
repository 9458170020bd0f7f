import { assertXmlChars, assertXmlName } from './xml-chars';
import { escapeAttribute, escapeText } from './xml-entities';
import { XmlEditError } from './xml-edit-error';
import type { XmlDocument, XmlElement, XmlNode } from './xml-node';

const INDENT = '  ';

/**
 * Formats a document the way libvirt does: two-space indentation, single-quoted attributes,
 * `<x/>` for empty elements, LF line endings and a final newline. Elements that hold text or
 * CDATA are written inline with their content untouched, so no text ever changes. Parsing the
 * output and serialising again gives the same string.
 *
 * @throws XmlEditError when a node built by hand carries an invalid name or character.
 */
export function serializeXml(doc: XmlDocument): string {
  const out: string[] = [];
  let roots = 0;
  for (const node of doc.children) {
    if (node.kind === 'element') roots += 1;
    else if (node.kind === 'text' || node.kind === 'cdata') {
      if (/\S/.test(node.value)) throw new XmlEditError('text outside the root element');
      continue;
    }
    writeNode(node, 0, true, out);
    out.push('\n');
  }
  if (roots !== 1) throw new XmlEditError(`a document needs one root element, found ${roots}`);
  return out.join('');
}

/** Serialises one element (a device, say) on its own, formatted as inside a document. */
export function serializeElement(element: XmlElement): string {
  const out: string[] = [];
  writeNode(element, 0, true, out);
  return out.join('');
}

function writeNode(node: XmlNode, depth: number, pretty: boolean, out: string[]): void {
  const pad = pretty ? INDENT.repeat(depth) : '';
  switch (node.kind) {
    case 'text':
      assertXmlChars(node.value, 'text');
      out.push(escapeText(node.value));
      return;
    case 'cdata':
      assertXmlChars(node.value, 'CDATA');
      // ']]>' cannot sit inside one section: close and reopen between ']]' and '>'.
      out.push(`<![CDATA[${node.value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`);
      return;
    case 'comment':
      assertXmlChars(node.value, 'comment');
      out.push(pad, `<!--${node.value}-->`);
      return;
    case 'pi':
      assertXmlName(node.target, 'processing instruction target');
      assertXmlChars(node.body, 'processing instruction');
      if (node.body.includes('?>')) throw new XmlEditError("processing instruction contains '?>'");
      out.push(pad, node.body === '' ? `<?${node.target}?>` : `<?${node.target} ${node.body}?>`);
      return;
    case 'element':
      writeElement(node, depth, pretty, pad, out);
  }
}

function writeElement(
  element: XmlElement,
  depth: number,
  pretty: boolean,
  pad: string,
  out: string[],
): void {
  assertXmlName(element.name, 'element name');
  out.push(pad, '<', element.name);
  const seen = new Set<string>();
  for (const attribute of element.attributes) {
    assertXmlName(attribute.name, 'attribute name');
    if (seen.has(attribute.name)) {
      throw new XmlEditError(`attribute '${attribute.name}' repeated on <${element.name}>`);
    }
    seen.add(attribute.name);
    assertXmlChars(attribute.value, `attribute '${attribute.name}'`);
    out.push(' ', attribute.name, "='", escapeAttribute(attribute.value), "'");
  }
  if (element.children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  const inline =
    !pretty || element.children.some((child) => child.kind === 'text' || child.kind === 'cdata');
  for (const child of element.children) {
    if (!inline) out.push('\n');
    writeNode(child, depth + 1, !inline, out);
  }
  if (!inline) out.push('\n', pad);
  out.push('</', element.name, '>');
}
