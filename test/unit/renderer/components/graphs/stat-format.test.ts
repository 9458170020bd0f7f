import { describe, expect, it } from 'vitest';
import {
  MISSING,
  formatKiB,
  formatPercent,
  formatRate,
  sumRates,
} from '../../../../../renderer/src/components/graphs/stat-format';

describe('stat formats', () => {
  it('show "—" for every missing or broken value, never NaN', () => {
    for (const value of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(formatPercent(value)).toBe(MISSING);
      expect(formatRate(value)).toBe(MISSING);
      expect(formatKiB(value)).toBe(MISSING);
    }
  });

  it('format percentages, rates and sizes compactly', () => {
    expect(formatPercent(0)).toBe('0.0 %');
    expect(formatPercent(3.456)).toBe('3.5 %');
    expect(formatPercent(47.4)).toBe('47 %');
    expect(formatRate(0)).toBe('0 B/s');
    expect(formatRate(1536)).toBe('1.5 KiB/s');
    expect(formatRate(250 * 1024 * 1024)).toBe('250 MiB/s');
    expect(formatKiB(65536)).toBe('64 MiB');
    expect(formatKiB(1572864)).toBe('1.5 GiB');
    expect(formatPercent(1234.5, 'de')).toBe('1.235 %');
  });

  it('sum read and write, unknown only when both are', () => {
    expect(sumRates(null, undefined)).toBeNull();
    expect(sumRates(100, null)).toBe(100);
    expect(sumRates(100, 28)).toBe(128);
  });
});
