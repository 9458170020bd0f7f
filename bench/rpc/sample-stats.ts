export interface SampleSummary {
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  /** itemsPerRepeat / median. */
  perSecond: number;
  repeats: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** `itemsPerRepeat`: units of work per run (domains for (a)/(b), 1 for a bulk call). */
export function summarize(seconds: readonly number[], itemsPerRepeat: number): SampleSummary {
  for (const s of seconds) {
    if (!Number.isFinite(s) || s <= 0) throw new RangeError(`invalid sample ${s} s`);
  }
  const medianSeconds = median(seconds);
  return {
    medianSeconds,
    minSeconds: Math.min(...seconds),
    maxSeconds: Math.max(...seconds),
    perSecond: itemsPerRepeat / medianSeconds,
    repeats: seconds.length,
  };
}
