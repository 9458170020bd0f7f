/**
 * The lossless document model. Every node is a plain, readonly value: edits build new nodes and
 * share the untouched ones, so a store can keep the previous document for undo and diffing.
 */
export interface XmlAttribute {
  readonly name: string;
  /** Decoded value (entities resolved). */
  readonly value: string;
}

export interface XmlElement {
  readonly kind: 'element';
  /** Qualified name as written, prefix included (`virtdeck:tags`). */
  readonly name: string;
  /** In document order; names are unique. */
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlNode[];
}

export interface XmlText {
  readonly kind: 'text';
  /** Decoded text, exactly as in the source (no trimming). */
  readonly value: string;
}

export interface XmlCData {
  readonly kind: 'cdata';
  readonly value: string;
}

export interface XmlComment {
  readonly kind: 'comment';
  readonly value: string;
}

/** A processing instruction; the XML declaration is one with target `xml`. */
export interface XmlProcessingInstruction {
  readonly kind: 'pi';
  readonly target: string;
  readonly body: string;
}

export type XmlNode = XmlElement | XmlText | XmlCData | XmlComment | XmlProcessingInstruction;

/** Exactly one element among `children`; the rest are comments and processing instructions. */
export interface XmlDocument {
  readonly kind: 'document';
  readonly children: readonly XmlNode[];
}

export type AttributeInit = Readonly<Record<string, string>> | readonly XmlAttribute[];

/** Builds an element. Names and values are checked when the document is serialised. */
export function createElement(
  name: string,
  attributes: AttributeInit = [],
  children: readonly XmlNode[] = [],
): XmlElement {
  const attrs: XmlAttribute[] = Array.isArray(attributes)
    ? [...(attributes as readonly XmlAttribute[])]
    : Object.entries(attributes).map(([n, value]) => ({ name: n, value }));
  return { kind: 'element', name, attributes: attrs, children };
}

export function createText(value: string): XmlText {
  return { kind: 'text', value };
}

export function createComment(value: string): XmlComment {
  return { kind: 'comment', value };
}

export function isElement(node: XmlNode | undefined): node is XmlElement {
  return node?.kind === 'element';
}
