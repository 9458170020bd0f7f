import { describe, expect, it } from 'vitest';
import { ReconnectBackoff } from '../../../../renderer/src/api/reconnect-backoff';

describe('ReconnectBackoff', () => {
  it('doubles from the initial delay up to the ceiling', () => {
    const backoff = new ReconnectBackoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoff.attempts).toBe(6);
  });

  it('starts over after a successful connection', () => {
    const backoff = new ReconnectBackoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('only shortens delays with jitter, so the ceiling holds', () => {
    const highest = new ReconnectBackoff({
      initialMs: 100,
      maxMs: 400,
      jitter: 0.5,
      random: () => 0,
    });
    const lowest = new ReconnectBackoff({
      initialMs: 100,
      maxMs: 400,
      jitter: 0.5,
      random: () => 0.999999,
    });
    expect([1, 2, 3, 4].map(() => highest.next())).toEqual([100, 200, 400, 400]);
    expect([1, 2, 3, 4].map(() => lowest.next())).toEqual([50, 100, 200, 200]);
  });

  it('rejects settings that would retry in a busy loop or never', () => {
    expect(() => new ReconnectBackoff({ initialMs: 0 })).toThrow(RangeError);
    expect(() => new ReconnectBackoff({ initialMs: 500, maxMs: 100 })).toThrow(RangeError);
    expect(() => new ReconnectBackoff({ factor: 0.5 })).toThrow(RangeError);
    expect(() => new ReconnectBackoff({ jitter: 1 })).toThrow(RangeError);
  });
});
