import { assertXmlChars } from './xml-chars';
import { XmlEditError } from './xml-edit-error';
import type { XmlElement, XmlNode } from './xml-node';

/** The element's own text (text and CDATA children, joined), or undefined when it has none. */
export function getText(element: XmlElement): string | undefined {
  let text: string | undefined;
  for (const child of element.children) {
    if (child.kind === 'text' || child.kind === 'cdata') text = (text ?? '') + child.value;
  }
  return text;
}

/**
 * Replaces the element's text, keeping any comments beside it. Refuses elements that hold
 * child elements: their text is formatting or mixed content, not a value.
 */
export function setText(element: XmlElement, value: string): XmlElement {
  assertXmlChars(value, `text of <${element.name}>`);
  if (element.children.some((child) => child.kind === 'element')) {
    throw new XmlEditError(`<${element.name}> holds elements; its text cannot be set`);
  }
  if (getText(element) === value) return element;
  const children: XmlNode[] = [];
  let placed = false;
  for (const child of element.children) {
    if (child.kind === 'text' || child.kind === 'cdata') {
      if (!placed && value !== '') children.push({ kind: 'text', value });
      placed = true;
    } else {
      children.push(child);
    }
  }
  if (!placed && value !== '') children.push({ kind: 'text', value });
  return { ...element, children };
}
