import {
  COLUMN_CODECS,
  type ColumnArray,
  type ColumnCodec,
  type ColumnCodecName,
} from './column-codec';

const INITIAL_CAPACITY = 64;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

export interface SeriesRingOptions {
  /**
   * The time column's unit: times are kept as Int32 steps of it from a base (a sample's
   * time, moved when a time no longer fits), so 1 ms reaches ±24 days around the base and
   * 1 minute far beyond any history. Times must be whole multiples of the unit.
   */
  timeUnitMs?: number;
}

/**
 * A bounded, columnar ring of timestamped samples: an Int32 time column and one column per
 * codec (Float32 for every column when only a count is given), all in one ArrayBuffer so a
 * ring costs one allocation. null is stored as the codec's null and given back as null.
 * Storage is allocated on the first sample and grows by doubling up to `capacity`, so a VM
 * that has run for a minute holds a minute, not an hour, of memory.
 */
export class SeriesRing {
  readonly columns: number;
  private readonly codecs: readonly ColumnCodec[];
  private readonly layout: Layout;
  private readonly timeUnitMs: number;
  // Nothing is allocated before the first sample: thousands of VMs make thousands of rings.
  private buffer: ArrayBuffer | null = null;
  private times: Int32Array = NO_TIMES;
  private values: ColumnArray[] = [];
  private base = 0;
  private start = 0;
  private count = 0;

  constructor(
    columns: number | readonly ColumnCodecName[],
    private maxCapacity: number,
    options: SeriesRingOptions = {},
  ) {
    checkCapacity(maxCapacity);
    const names: readonly ColumnCodecName[] =
      typeof columns === 'number' ? new Array<ColumnCodecName>(columns).fill('f32') : columns;
    this.codecs = names.map((name) => COLUMN_CODECS[name]);
    this.columns = this.codecs.length;
    this.layout = layoutOf(this.codecs);
    this.timeUnitMs = options.timeUnitMs ?? 1;
  }

  get length(): number {
    return this.count;
  }

  get capacity(): number {
    return this.maxCapacity;
  }

  /** Bytes of samples this ring can hold once full (its bound, whatever it holds now). */
  get boundBytes(): number {
    return this.layout.rowBytes * this.maxCapacity;
  }

  /** Bytes held by the ring's buffer right now. */
  get bytes(): number {
    return this.buffer?.byteLength ?? 0;
  }

  /** Time of the newest sample, or null when empty. */
  get lastTime(): number | null {
    return this.count === 0 ? null : this.timeAt(this.index(this.count - 1));
  }

  push(t: number, row: readonly (number | null)[]): void {
    if (this.count === this.times.length && this.times.length < this.maxCapacity) {
      const size = this.times.length === 0 ? INITIAL_CAPACITY : this.times.length * 2;
      this.reallocate(Math.min(size, this.maxCapacity));
    }
    const step = this.stepOf(t);
    let slot: number;
    if (this.count < this.times.length) {
      slot = this.index(this.count);
      this.count++;
    } else {
      // Full: overwrite the oldest.
      slot = this.start;
      this.start = (this.start + 1) % this.times.length;
    }
    this.times[slot] = step;
    for (let c = 0; c < this.columns; c++) {
      (this.values[c] as ColumnArray)[slot] = (this.codecs[c] as ColumnCodec).encode(
        row[c] ?? null,
      );
    }
  }

  /** Samples with time ≥ `from`, oldest first, columnar. */
  since(from: number): { t: number[]; columns: (number | null)[][] } {
    let first = this.count;
    // Times only grow, so scan back from the newest.
    while (first > 0 && this.timeAt(this.index(first - 1)) >= from) first--;
    const t: number[] = [];
    const columns: (number | null)[][] = Array.from({ length: this.columns }, () => []);
    for (let i = first; i < this.count; i++) {
      const slot = this.index(i);
      t.push(this.timeAt(slot));
      for (let c = 0; c < this.columns; c++) {
        const raw = (this.values[c] as ColumnArray)[slot] ?? NaN;
        (columns[c] as (number | null)[]).push((this.codecs[c] as ColumnCodec).decode(raw));
      }
    }
    return { t, columns };
  }

  /** A new bound; when it shrinks, the oldest samples beyond it are dropped. */
  setCapacity(capacity: number): void {
    checkCapacity(capacity);
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

  private timeAt(slot: number): number {
    return this.base + (this.times[slot] ?? 0) * this.timeUnitMs;
  }

  /** `t` as a step from the base; moves the base (or starts over) when it does not fit. */
  private stepOf(t: number): number {
    if (this.count === 0) this.base = t;
    const step = Math.round((t - this.base) / this.timeUnitMs);
    if (step >= INT32_MIN && step <= INT32_MAX) return step;
    // A clock jump, or weeks of samples since the base: re-express the samples that stay
    // (a full ring is about to overwrite its oldest) from the earliest time, or keep none
    // when they and `t` are too far apart for Int32 steps.
    const full = this.count === this.times.length && this.times.length >= this.maxCapacity;
    const first = full ? 1 : 0;
    let newBase = t;
    if (this.count > first) newBase = Math.min(t, this.timeAt(this.index(first)));
    const fits = (time: number): boolean =>
      Math.round((time - newBase) / this.timeUnitMs) <= INT32_MAX;
    const newest = this.count > first ? this.timeAt(this.index(this.count - 1)) : t;
    if (fits(t) && fits(newest)) {
      for (let i = first; i < this.count; i++) {
        const slot = this.index(i);
        this.times[slot] = Math.round((this.timeAt(slot) - newBase) / this.timeUnitMs);
      }
    } else {
      this.start = 0;
      this.count = 0;
      newBase = t;
    }
    this.base = newBase;
    return Math.round((t - newBase) / this.timeUnitMs);
  }

  /** Copies the newest min(count, size) samples into a buffer for `size`, oldest first. */
  private reallocate(size: number): void {
    const keep = Math.min(this.count, size);
    const skip = this.count - keep;
    const next = allocate(this.codecs, this.layout, size);
    for (let i = 0; i < keep; i++) {
      const slot = this.index(skip + i);
      next.times[i] = this.times[slot] ?? 0;
      for (let c = 0; c < this.columns; c++) {
        (next.values[c] as ColumnArray)[i] = (this.values[c] as ColumnArray)[slot] ?? 0;
      }
    }
    this.buffer = next.buffer;
    this.times = next.times;
    this.values = next.values;
    this.start = 0;
    this.count = keep;
  }
}

function checkCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }
}

const NO_TIMES = new Int32Array(0);

/** Where each column starts, per sample of capacity: offsets scale with the capacity. */
interface Layout {
  rowBytes: number;
  timesAt: number;
  columnsAt: number[];
}

/** Widest first, so every column starts aligned for its element size. */
function layoutOf(codecs: readonly ColumnCodec[]): Layout {
  const width = (c: number): number => (codecs[c] as ColumnCodec).bytesPerValue;
  const order = codecs.map((_, c) => c).sort((a, b) => width(b) - width(a));
  const columnsAt = new Array<number>(codecs.length).fill(0);
  let rowBytes = 0;
  let timesAt = -1;
  for (const c of order) {
    if (timesAt < 0 && width(c) < 4) {
      timesAt = rowBytes;
      rowBytes += 4;
    }
    columnsAt[c] = rowBytes;
    rowBytes += width(c);
  }
  if (timesAt < 0) {
    timesAt = rowBytes;
    rowBytes += 4;
  }
  return { rowBytes, timesAt, columnsAt };
}

function allocate(
  codecs: readonly ColumnCodec[],
  layout: Layout,
  size: number,
): { buffer: ArrayBuffer; times: Int32Array; values: ColumnArray[] } {
  const buffer = new ArrayBuffer(layout.rowBytes * size);
  return {
    buffer,
    times: new Int32Array(buffer, layout.timesAt * size, size),
    values: codecs.map((codec, c) => codec.view(buffer, (layout.columnsAt[c] ?? 0) * size, size)),
  };
}
