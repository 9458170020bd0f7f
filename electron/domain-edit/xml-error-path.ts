/**
 * The line libvirt's message points at, as the contract's `path` (`xml:<line>`): libxml2's
 * syntax errors read "(domain_definition):3: Opening and ending tag mismatch…".
 */
export function xmlErrorPath(message: string): string | undefined {
  const m = /\(domain_definition\):(\d+):/.exec(message) ?? /\bline (\d+)\b/i.exec(message);
  return m?.[1] ? `xml:${m[1]}` : undefined;
}
