/**
 * OpenSSH wildcard match (`*` any run, `?` one character), case-insensitive as OpenSSH
 * does for host names. Iterative with one backtrack point, so hostile patterns cannot
 * make it exponential.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let starP = -1;
  let starT = 0;
  while (ti < t.length) {
    const pc = p[pi];
    if (pc === '*') {
      starP = pi++;
      starT = ti;
    } else if (pc !== undefined && (pc === '?' || pc === t[ti])) {
      pi++;
      ti++;
    } else if (starP >= 0) {
      pi = starP + 1;
      ti = ++starT;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * OpenSSH `match_hostname` over a comma-separated pattern list: a matching negated
 * pattern (`!pat`) vetoes the whole list, otherwise any matching positive pattern wins.
 */
export function matchHostPatternList(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (pattern === '') continue;
    if (wildcardMatch(pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}
