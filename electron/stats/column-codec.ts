/**
 * How one history column is stored:
 * - 'f64' / 'f32': a float (null as NaN);
 * - 'centi': hundredths in 16 bits, for percentages already rounded to two decimals and
 *   clamped to 0–100 (lossless for them; anything outside 0–655.34 is clamped);
 * - 'log16': a non-negative rate on a 16-bit log scale, 1/2048 of an e-fold per step (under
 *   0.025 % off, whole numbers below ~2,000 exact, up to ~7.9e13), for byte rates that
 *   would otherwise take a 4-byte float each.
 */
export type ColumnCodecName = 'f64' | 'f32' | 'centi' | 'log16';

export type ColumnArray = Float64Array | Float32Array | Uint16Array;

export interface ColumnCodec {
  readonly bytesPerValue: number;
  view(buffer: ArrayBuffer, byteOffset: number, length: number): ColumnArray;
  encode(value: number | null): number;
  decode(raw: number): number | null;
}

const NULL16 = 0xffff;
const MAX16 = 0xfffe;
const LOG_STEPS = 2048;

const float = (bytesPerValue: 4 | 8): ColumnCodec => ({
  bytesPerValue,
  view: (buffer, byteOffset, length) =>
    bytesPerValue === 8
      ? new Float64Array(buffer, byteOffset, length)
      : new Float32Array(buffer, byteOffset, length),
  encode: (value) => (value === null || Number.isNaN(value) ? NaN : value),
  decode: (raw) => (Number.isNaN(raw) ? null : raw),
});

const uint16View = (buffer: ArrayBuffer, byteOffset: number, length: number): ColumnArray =>
  new Uint16Array(buffer, byteOffset, length);

const clamp16 = (n: number): number => Math.min(MAX16, Math.max(0, Math.round(n)));

export const COLUMN_CODECS: Readonly<Record<ColumnCodecName, ColumnCodec>> = {
  f64: float(8),
  f32: float(4),
  centi: {
    bytesPerValue: 2,
    view: uint16View,
    encode: (value) => (value === null || Number.isNaN(value) ? NULL16 : clamp16(value * 100)),
    decode: (raw) => (raw === NULL16 ? null : raw / 100),
  },
  log16: {
    bytesPerValue: 2,
    view: uint16View,
    encode: (value) =>
      value === null || Number.isNaN(value) ? NULL16 : clamp16(Math.log1p(value) * LOG_STEPS),
    decode: (raw) => (raw === NULL16 ? null : Math.expm1(raw / LOG_STEPS)),
  },
};
