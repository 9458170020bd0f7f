import { describe, expect, it } from 'vitest';
import { SeriesRing } from '../../../electron/stats/series-ring';
import { MINUTE_MS, StatsHistory, fullCapacity } from '../../../electron/stats/stats-history';
import { VM_CODECS, VM_DECIMALS } from '../../../electron/stats/host-sampler';

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
    expect(ring.bytes).toBe(0);
    ring.push(0, [1, 2, 3, 4, 5, 6, 7]);
    // Int32 time steps plus seven Float32 columns, 64 samples to start with.
    expect(ring.bytes).toBe(64 * (4 + 7 * 4));
    for (let i = 1; i < 10_000; i++) ring.push(i, [1, 2, 3, 4, 5, 6, 7]);
    expect(ring.length).toBe(1808);
    expect(ring.bytes).toBe(1808 * (4 + 7 * 4));
    expect(ring.bytes).toBe(ring.boundBytes);
    expect(ring.since(-Infinity).t[0]).toBe(10_000 - 1808);
  });

  it('gives back what each codec stores: exact percentages, rates within 0.025 %', () => {
    const ring = new SeriesRing(['f64', 'f32', 'centi', 'log16'], 10);
    const rates = [0, 1, 7, 1999, 123_456, 9_876_543_210];
    const T = Date.UTC(2026, 0, 1);
    rates.forEach((rate, i) =>
      ring.push(T + i * 1000, [i / 3, 0.5, i === 2 ? null : 12.34 * i, rate]),
    );
    const { t, columns } = ring.since(-Infinity);
    expect(t).toEqual(rates.map((_, i) => T + i * 1000));
    expect(columns[0]).toEqual(rates.map((_, i) => i / 3));
    expect(columns[1]).toEqual(rates.map(() => 0.5));
    expect(columns[2]).toEqual([0, 12.34, null, 37.02, 49.36, 61.7]);
    const back = columns[3] as (number | null)[];
    rates.forEach((rate, i) => {
      const got = back[i] ?? NaN;
      if (rate < 2000) expect(Math.round(got)).toBe(rate);
      else expect(Math.abs(got - rate) / rate).toBeLessThan(0.00025);
    });
    ring.push(T + 10_000, [null, null, null, null]);
    expect(ring.since(T + 10_000).columns).toEqual([[null], [null], [null], [null]]);
  });

  it('keeps exact times across weeks of samples, and forgets what no longer fits', () => {
    const ring = new SeriesRing(1, 2);
    const T = Date.UTC(2026, 0, 1);
    const day = 86_400_000;
    ring.push(T, [1]);
    ring.push(T + 20 * day, [2]);
    // 40 days from the first sample (beyond Int32 ms), 20 from the oldest one kept.
    ring.push(T + 40 * day, [3]);
    expect(ring.since(-Infinity)).toEqual({ t: [T + 20 * day, T + 40 * day], columns: [[2, 3]] });
    ring.push(T + 40 * day + 1, [4]);
    expect(ring.since(-Infinity).t).toEqual([T + 40 * day, T + 40 * day + 1]);
    // A jump of a year: nothing kept fits next to it.
    const far = T + 405 * day;
    ring.push(far, [5]);
    expect(ring.since(-Infinity)).toEqual({ t: [far], columns: [[5]] });
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

  it('states its memory: Float32 columns take 32 B per sample after a full day', () => {
    const vm = new StatsHistory(
      { decimals: [2, 2, 2, 0, 0, 0, 0] },
      { intervalMs: 2000, historyHours: 24 },
    );
    for (let i = 0; i < 43_200; i++) vm.push(T0 + i * 2000, [1, 2, 3, 4, 5, 6, 7]);
    expect(vm.bytes).toBe((fullCapacity(2000) + 1440) * 32);
    expect(vm.bytes).toBe(vm.boundBytes);
  });

  it("bounds a VM's history: ≤ 60 KB at 2 s and ≤ 92 KB at 1 s, however long it runs", () => {
    const shape = { decimals: VM_DECIMALS, codecs: VM_CODECS };
    for (const [intervalMs, limit] of [
      [2000, 60_000],
      [1000, 92_000],
    ] as const) {
      const vm = new StatsHistory(shape, { intervalMs, historyHours: 24 });
      // 26 hours of samples: both rings wrap, the memory stays at its bound.
      const samples = (26 * 3_600_000) / intervalMs;
      let peak = 0;
      for (let i = 0; i < samples; i++) {
        vm.push(T0 + i * intervalMs, [12.34, 5.5, 40, 1e6, 2e3, i, null]);
        if (i % 997 === 0) peak = Math.max(peak, vm.bytes);
      }
      expect(vm.bytes).toBe((fullCapacity(intervalMs) + 1440) * 18);
      expect(Math.max(peak, vm.bytes)).toBe(vm.boundBytes);
      expect(vm.boundBytes).toBeLessThanOrEqual(limit);
      // Still a full hour at full resolution and a day of minutes.
      const now = T0 + (samples - 1) * intervalMs;
      expect(vm.query('1h', now).t).toHaveLength(3_600_000 / intervalMs + 1);
      const day = vm.query('24h', now);
      expect(day.t).toHaveLength(1440);
      expect(day.columns[0]?.at(-1)).toBe(12.34);
      expect(day.columns[3]?.at(-1)).toBe(1e6);
    }
  });
});
