import { describe, expect, it } from 'vitest';
import { SeriesRing } from '../../../electron/stats/series-ring';
import { MINUTE_MS, StatsHistory, fullCapacity } from '../../../electron/stats/stats-history';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('SeriesRing', () => {
  it('keeps the newest samples up to its capacity, oldest first, null as null', () => {
    const ring = new SeriesRing(2, 5);
    for (let i = 0; i < 8; i++) ring.push(i, [i, i % 2 === 0 ? null : i * 10]);
    expect(ring.length).toBe(5);
    expect(ring.since(-Infinity)).toEqual({
      t: [3, 4, 5, 6, 7],
      columns: [
        [3, 4, 5, 6, 7],
        [30, null, 50, null, 70],
      ],
    });
    expect(ring.since(6).t).toEqual([6, 7]);
  });

  it('grows its arrays only as samples arrive, never beyond the bound', () => {
    const ring = new SeriesRing(7, 1808);
    const empty = ring.bytes;
    expect(empty).toBe(64 * 8 + 7 * 64 * 4);
    for (let i = 0; i < 10_000; i++) ring.push(i, [1, 2, 3, 4, 5, 6, 7]);
    expect(ring.length).toBe(1808);
    expect(ring.bytes).toBe(1808 * (8 + 7 * 4));
    expect(ring.since(-Infinity).t[0]).toBe(10_000 - 1808);
  });

  it('keeps the newest samples when the bound shrinks', () => {
    const ring = new SeriesRing(1, 100);
    for (let i = 0; i < 100; i++) ring.push(i, [i]);
    ring.setCapacity(10);
    expect(ring.since(-Infinity).t).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    ring.push(100, [100]);
    expect(ring.since(-Infinity).t[0]).toBe(91);
    expect(() => ring.setCapacity(0)).toThrow(RangeError);
  });
});

describe('StatsHistory', () => {
  const shape = { decimals: [2, 0] };

  it('serves 5 min and 1 h at full resolution, rounded per column', () => {
    const h = new StatsHistory(shape, { intervalMs: 2000, historyHours: 24 });
    for (let i = 0; i <= 1800; i++) h.push(T0 + i * 2000, [i / 3, i * 1.4]);
    const now = T0 + 1800 * 2000;
    const fiveMin = h.query('5m', now);
    expect(fiveMin.stepMs).toBe(2000);
    expect(fiveMin.t).toHaveLength(151);
    expect(fiveMin.columns[0]?.at(-1)).toBe(600);
    expect(fiveMin.columns[1]?.at(-1)).toBe(2520);
    expect(h.query('1h', now).t).toHaveLength(1801);
  });

  it('keeps an hour at full resolution, however long it runs', () => {
    const h = new StatsHistory(shape, { intervalMs: 1000, historyHours: 24 });
    for (let i = 0; i < 3 * 3600; i++) h.push(T0 + i * 1000, [1, 1]);
    const now = T0 + (3 * 3600 - 1) * 1000;
    const hour = h.query('1h', now);
    expect(hour.t[0]).toBe(now - 3600_000);
    expect(hour.t).toHaveLength(3601);
  });

  it('averages each minute for 24 h, ignoring nulls, with the open minute last', () => {
    const h = new StatsHistory(shape, { intervalMs: 10_000, historyHours: 24 });
    // Minute 0: 10, 20, null…; minute 1: all null; minute 2 (open): 7.
    const rows: Array<[number, (number | null)[]]> = [
      [0, [10, null]],
      [10_000, [20, 4]],
      [20_000, [null, null]],
      [MINUTE_MS, [null, null]],
      [2 * MINUTE_MS + 5000, [7, 1]],
    ];
    for (const [dt, row] of rows) h.push(T0 + dt, row);
    const day = h.query('24h', T0 + 2 * MINUTE_MS + 5000);
    expect(day.stepMs).toBe(MINUTE_MS);
    expect(day.t).toEqual([T0, T0 + MINUTE_MS, T0 + 2 * MINUTE_MS]);
    expect(day.columns).toEqual([
      [15, null, 7],
      [4, null, 1],
    ]);
  });

  it('bounds the minute averages by the history length preference', () => {
    const h = new StatsHistory(shape, { intervalMs: 60_000, historyHours: 2 });
    for (let i = 0; i < 5 * 60; i++) h.push(T0 + i * MINUTE_MS, [i, i]);
    const now = T0 + (5 * 60 - 1) * MINUTE_MS;
    // 120 closed minutes + the open one.
    expect(h.query('24h', now).t).toHaveLength(121);
    h.setBounds({ intervalMs: 60_000, historyHours: 1 });
    expect(h.query('24h', now).t).toHaveLength(61);
  });

  it('states its memory: under 120 KB per VM at the default interval after a full day', () => {
    const vm = new StatsHistory(
      { decimals: [2, 2, 2, 0, 0, 0, 0] },
      { intervalMs: 2000, historyHours: 24 },
    );
    for (let i = 0; i < 43_200; i++) vm.push(T0 + i * 2000, [1, 2, 3, 4, 5, 6, 7]);
    expect(vm.bytes).toBe((fullCapacity(2000) + 1440) * 36);
    expect(vm.bytes).toBeLessThan(120_000);
  });
});
