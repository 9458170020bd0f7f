import { describe, expect, it } from 'vitest';
import { median, summarize } from '../../../bench/rpc/sample-stats';

describe('sample statistics', () => {
  it('median of odd and even counts, input left unsorted', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('rates come from the median, not the mean', () => {
    const s = summarize([0.5, 0.2, 9, 0.25, 0.3], 1000);
    expect(s.medianSeconds).toBe(0.3);
    expect(s.perSecond).toBeCloseTo(1000 / 0.3);
    expect([s.minSeconds, s.maxSeconds, s.repeats]).toEqual([0.2, 9, 5]);
  });

  it('refuses zero, negative and non-finite samples', () => {
    expect(() => summarize([0.1, 0], 1)).toThrow(/invalid sample 0/);
    expect(() => summarize([Number.NaN], 1)).toThrow(RangeError);
  });
});
