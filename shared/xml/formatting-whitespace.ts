import type { XmlNode } from './xml-node';

/**
 * Whitespace-only text is formatting when it sits among other nodes with no real text beside
 * it; the serialiser re-indents such content. Children holding text or CDATA keep every
 * character, whitespace included. Applied on parse and after each structural edit, so that
 * serialise → parse → serialise is stable.
 */
export function dropFormattingWhitespace(nodes: readonly XmlNode[]): readonly XmlNode[] {
  const hasMarkup = nodes.some((n) => n.kind !== 'text');
  const hasContent = nodes.some(
    (n) => n.kind === 'cdata' || (n.kind === 'text' && /\S/.test(n.value)),
  );
  if (!hasMarkup || hasContent) return nodes;
  const kept = nodes.filter((n) => n.kind !== 'text');
  return kept.length === nodes.length ? nodes : kept;
}
