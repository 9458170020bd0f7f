import type { StatsRange } from '../../shared/contract/stats';
import type { ColumnCodecName } from './column-codec';
import { SeriesRing } from './series-ring';

export const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const RANGE_MS: Readonly<Record<StatsRange, number>> = {
  '5m': 5 * MINUTE_MS,
  '1h': HOUR_MS,
  '24h': 24 * HOUR_MS,
};

export interface HistoryShape {
  /** Decimals each column is given back with. */
  decimals: readonly number[];
  /** How each column is stored (see column-codec.ts); Float32 (or Float64) when absent. */
  codecs?: readonly ColumnCodecName[];
  float64?: boolean;
}

export interface HistoryBounds {
  intervalMs: number;
  /** How far back the minute averages reach (the last hour is also at full resolution). */
  historyHours: number;
}

/** Full-resolution samples for one hour at the given interval, with a little slack. */
export function fullCapacity(intervalMs: number): number {
  return Math.ceil(HOUR_MS / intervalMs) + 8;
}

export interface HistorySeries {
  stepMs: number;
  t: number[];
  columns: (number | null)[][];
}

/**
 * One VM's (or host's) history: every sample of the last hour, and 1-minute averages for
 * up to 24 hours. The minute being filled is kept as running sums and shows up as the
 * newest point of the '24h' series.
 *
 * Memory: each sample is 4 bytes of time plus its columns' codecs. A VM's three percentages
 * ('centi') and four byte rates ('log16') take 2 bytes each, so 18 B per sample: 32.5 KB
 * for an hour at 2 s (65 KB at 1 s) plus 26 KB for a day of minutes — at most ~59 KB per
 * VM at the default interval, allocated as it fills (see `boundBytes`).
 */
export class StatsHistory {
  private readonly full: SeriesRing;
  private readonly minutes: SeriesRing;
  private bucketStart: number | null = null;
  private readonly sums: number[];
  private readonly counts: number[];
  private intervalMs: number;

  constructor(
    private readonly shape: HistoryShape,
    bounds: HistoryBounds,
  ) {
    const columns = shape.decimals.length;
    const codecs =
      shape.codecs ?? new Array<ColumnCodecName>(columns).fill(shape.float64 ? 'f64' : 'f32');
    if (codecs.length !== columns) {
      throw new RangeError(`${codecs.length} codecs for ${columns} columns`);
    }
    this.intervalMs = bounds.intervalMs;
    this.full = new SeriesRing(codecs, fullCapacity(bounds.intervalMs));
    // Minute starts are whole minutes: a step of a minute keeps them exact.
    this.minutes = new SeriesRing(codecs, bounds.historyHours * 60, { timeUnitMs: MINUTE_MS });
    this.sums = new Array<number>(columns).fill(0);
    this.counts = new Array<number>(columns).fill(0);
  }

  /** Bytes the samples hold now. */
  get bytes(): number {
    return this.full.bytes + this.minutes.bytes;
  }

  /** Bytes the samples can ever hold under the current bounds. */
  get boundBytes(): number {
    return this.full.boundBytes + this.minutes.boundBytes;
  }

  /** Applies new preferences; data beyond a smaller bound is dropped, oldest first. */
  setBounds(bounds: HistoryBounds): void {
    this.intervalMs = bounds.intervalMs;
    this.full.setCapacity(fullCapacity(bounds.intervalMs));
    this.minutes.setCapacity(bounds.historyHours * 60);
  }

  push(t: number, row: readonly (number | null)[]): void {
    const bucket = Math.floor(t / MINUTE_MS) * MINUTE_MS;
    if (this.bucketStart !== null && bucket !== this.bucketStart) this.flushMinute();
    this.bucketStart = bucket;
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (v === null || v === undefined) continue;
      this.sums[c] = (this.sums[c] ?? 0) + v;
      this.counts[c] = (this.counts[c] ?? 0) + 1;
    }
    this.full.push(t, row);
  }

  query(range: StatsRange, now: number): HistorySeries {
    const from = now - RANGE_MS[range];
    if (range !== '24h') {
      const { t, columns } = this.full.since(from);
      return { stepMs: this.intervalMs, t, columns: this.rounded(columns) };
    }
    const { t, columns } = this.minutes.since(from);
    if (this.bucketStart !== null && this.counts.some((n) => n > 0)) {
      t.push(this.bucketStart);
      this.average().forEach((v, c) => columns[c]?.push(v));
    }
    return { stepMs: MINUTE_MS, t, columns: this.rounded(columns) };
  }

  private average(): (number | null)[] {
    return this.sums.map((sum, c) => {
      const n = this.counts[c] ?? 0;
      return n === 0 ? null : sum / n;
    });
  }

  private flushMinute(): void {
    if (this.bucketStart === null) return;
    this.minutes.push(this.bucketStart, this.average());
    this.sums.fill(0);
    this.counts.fill(0);
  }

  private rounded(columns: (number | null)[][]): (number | null)[][] {
    return columns.map((column, c) => {
      const factor = 10 ** (this.shape.decimals[c] ?? 0);
      return column.map((v) => (v === null ? null : Math.round(v * factor) / factor));
    });
  }
}
