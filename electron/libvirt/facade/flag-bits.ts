/**
 * ORs the flag of every pair whose condition is true, as an unsigned 32-bit number: JS `|`
 * gives a negative number once bit 31 is set, which the XDR writer rightly refuses.
 */
export function flagBits(...pairs: ReadonlyArray<readonly [boolean | undefined, number]>): number {
  let flags = 0;
  for (const [on, flag] of pairs) if (on) flags = (flags | flag) >>> 0;
  return flags;
}
