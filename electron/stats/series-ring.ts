type Column = Float32Array | Float64Array;

const INITIAL_CAPACITY = 64;

/**
 * A bounded, columnar ring of timestamped samples: one Float64 time column and `columns`
 * value columns (Float32 by default; Float64 where precision matters). null is stored as
 * NaN and given back as null. Storage grows by doubling up to `capacity`, so a VM that has
 * run for a minute holds a minute, not an hour, of memory.
 */
export class SeriesRing {
  private times: Float64Array;
  private values: Column[];
  private start = 0;
  private count = 0;

  constructor(
    readonly columns: number,
    private maxCapacity: number,
    private readonly float64 = false,
  ) {
    if (!Number.isInteger(maxCapacity) || maxCapacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${maxCapacity}`);
    }
    const size = Math.min(INITIAL_CAPACITY, maxCapacity);
    this.times = new Float64Array(size);
    this.values = Array.from({ length: columns }, () => this.column(size));
  }

  get length(): number {
    return this.count;
  }

  get capacity(): number {
    return this.maxCapacity;
  }

  /** Bytes held by the typed arrays right now. */
  get bytes(): number {
    return this.times.byteLength + this.values.reduce((n, c) => n + c.byteLength, 0);
  }

  /** Time of the newest sample, or null when empty. */
  get lastTime(): number | null {
    return this.count === 0 ? null : (this.times[this.index(this.count - 1)] ?? null);
  }

  push(t: number, row: readonly (number | null)[]): void {
    if (this.count === this.times.length && this.times.length < this.maxCapacity) {
      this.reallocate(Math.min(this.times.length * 2, this.maxCapacity));
    }
    let slot: number;
    if (this.count < this.times.length) {
      slot = this.index(this.count);
      this.count++;
    } else {
      // Full: overwrite the oldest.
      slot = this.start;
      this.start = (this.start + 1) % this.times.length;
    }
    this.times[slot] = t;
    for (let c = 0; c < this.columns; c++) {
      const v = row[c];
      (this.values[c] as Column)[slot] = v === null || v === undefined ? NaN : v;
    }
  }

  /** Samples with time ≥ `from`, oldest first, columnar. */
  since(from: number): { t: number[]; columns: (number | null)[][] } {
    let first = this.count;
    // Times only grow, so scan back from the newest.
    while (first > 0 && (this.times[this.index(first - 1)] ?? -Infinity) >= from) first--;
    const t: number[] = [];
    const columns: (number | null)[][] = Array.from({ length: this.columns }, () => []);
    for (let i = first; i < this.count; i++) {
      const slot = this.index(i);
      t.push(this.times[slot] ?? 0);
      for (let c = 0; c < this.columns; c++) {
        const v = (this.values[c] as Column)[slot] ?? NaN;
        (columns[c] as (number | null)[]).push(Number.isNaN(v) ? null : v);
      }
    }
    return { t, columns };
  }

  /** A new bound; when it shrinks, the oldest samples beyond it are dropped. */
  setCapacity(capacity: number): void {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.maxCapacity = capacity;
    if (this.times.length > capacity || this.count > capacity) {
      this.reallocate(
        Math.max(Math.min(this.count, capacity), Math.min(INITIAL_CAPACITY, capacity)),
      );
    }
  }

  private index(i: number): number {
    return (this.start + i) % this.times.length;
  }

  private column(size: number): Column {
    return this.float64 ? new Float64Array(size) : new Float32Array(size);
  }

  /** Copies the newest min(count, size) samples into arrays of `size`, oldest first. */
  private reallocate(size: number): void {
    const keep = Math.min(this.count, size);
    const skip = this.count - keep;
    const times = new Float64Array(size);
    const values = Array.from({ length: this.columns }, () => this.column(size));
    for (let i = 0; i < keep; i++) {
      const slot = this.index(skip + i);
      times[i] = this.times[slot] ?? 0;
      for (let c = 0; c < this.columns; c++) {
        (values[c] as Column)[i] = (this.values[c] as Column)[slot] ?? NaN;
      }
    }
    this.times = times;
    this.values = values;
    this.start = 0;
    this.count = keep;
  }
}
