/** One `Label: value` line of `dominfo`/`nodeinfo`; label includes its colon. */
export type Field = readonly [label: string, value: string];

/**
 * `Label:` padded to `labelWidth`, one space, the value — printf's `"%-15s %s\n"` as virsh
 * uses it (a longer label pushes its value right; it is never cut).
 */
export function formatFields(fields: readonly Field[], labelWidth: number): string {
  return fields.map(([label, value]) => `${label.padEnd(labelWidth)} ${value}\n`).join('');
}
