/**
 * VirtDeck's lossless XML model (libvirt domains, networks, pools, volumes, snapshots).
 *
 * parseXml keeps every element, attribute (in order), text, comment, CDATA section and
 * processing instruction; serializeXml writes them back. Formatting choice: output is
 * pretty-printed the way libvirt formats its own XML — two-space indentation, single-quoted
 * attributes, `<x/>` for empty elements, LF line endings, a final newline. Whitespace-only text
 * between elements is the only thing normalised; elements holding text keep it byte for byte.
 * So serialize(parse(libvirtOutput)) reproduces libvirt's output, and
 * serialize(parse(serialize(parse(x)))) === serialize(parse(x)) for any x.
 *
 * Edits are pure functions that return a new document and share every untouched node; an
 * edit changes only the lines of what it names.
 */
export * from './xml-node';
export * from './xml-parse-error';
export * from './xml-edit-error';
export { parseXml } from './parse-xml';
export { serializeXml, serializeElement } from './serialize-xml';
export * from './xml-document';
export * from './element-query';
export * from './element-attributes';
export * from './element-text';
export * from './element-children';
export * from './element-update';
export { isXmlName } from './xml-chars';
export * from './xml-values';
export * from './units';
export * from './domain/index';
export * from './network/index';
export * from './storage/index';
export * from './snapshot/index';
