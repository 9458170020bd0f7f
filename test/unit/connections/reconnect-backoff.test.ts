import { describe, expect, it } from 'vitest';
import { defaultBackoff, reconnectDelayMs } from '../../../electron/connections/reconnect-backoff';

describe('reconnectDelayMs', () => {
  it('doubles from 1 s to the 30 s cap when the jitter draws the middle', () => {
    const middle = () => 0.5;
    const delays = Array.from({ length: 9 }, (_, i) =>
      reconnectDelayMs(i + 1, defaultBackoff, middle),
    );
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });

  it('spreads each delay by ±20 % and never goes above the cap', () => {
    expect(reconnectDelayMs(1, defaultBackoff, () => 0)).toBe(800);
    expect(reconnectDelayMs(1, defaultBackoff, () => 0.999999)).toBe(1200);
    expect(reconnectDelayMs(3, defaultBackoff, () => 0)).toBe(3200);
    expect(reconnectDelayMs(6, defaultBackoff, () => 0)).toBe(24000);
    expect(reconnectDelayMs(6, defaultBackoff, () => 0.999999)).toBe(30000);
    for (let attempt = 1; attempt < 200; attempt++) {
      const delay = reconnectDelayMs(attempt);
      expect(delay).toBeGreaterThanOrEqual(800);
      expect(delay).toBeLessThanOrEqual(30000);
    }
  });

  it('stays finite after a very long outage and refuses a bad attempt number', () => {
    expect(reconnectDelayMs(5000, defaultBackoff, () => 0.5)).toBe(30000);
    expect(() => reconnectDelayMs(0)).toThrow(RangeError);
    expect(() => reconnectDelayMs(1.5)).toThrow(RangeError);
  });
});
