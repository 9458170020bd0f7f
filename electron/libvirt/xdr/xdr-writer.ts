import { XdrError } from './xdr-error';

const textEncoder = new TextEncoder();

/** Growable XDR writer. Values are validated as they are written (range, bounds). */
export class XdrWriter {
  private buf: Uint8Array;
  private view: DataView;
  private offset = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.offset;
  }

  private ensure(n: number): void {
    if (this.offset + n <= this.buf.byteLength) return;
    let size = this.buf.byteLength * 2;
    while (size < this.offset + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.offset));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  int(v: number): void {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new XdrError(`int out of range: ${v}`);
    }
    this.ensure(4);
    this.view.setInt32(this.offset, v);
    this.offset += 4;
  }

  uint(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new XdrError(`unsigned int out of range: ${v}`);
    }
    this.ensure(4);
    this.view.setUint32(this.offset, v);
    this.offset += 4;
  }

  hyper(v: bigint): void {
    if (v < -(1n << 63n) || v >= 1n << 63n) throw new XdrError(`hyper out of range: ${v}`);
    this.ensure(8);
    this.view.setBigInt64(this.offset, v);
    this.offset += 8;
  }

  uhyper(v: bigint): void {
    if (v < 0n || v >= 1n << 64n) throw new XdrError(`unsigned hyper out of range: ${v}`);
    this.ensure(8);
    this.view.setBigUint64(this.offset, v);
    this.offset += 8;
  }

  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.offset, v);
    this.offset += 8;
  }

  float(v: number): void {
    this.ensure(4);
    this.view.setFloat32(this.offset, v);
    this.offset += 4;
  }

  bool(v: boolean): void {
    this.int(v ? 1 : 0);
  }

  count(n: number, max: number, what: string): void {
    if (n > max) throw new XdrError(`${what}: ${n} elements exceed the limit of ${max}`);
    this.uint(n);
  }

  fixedOpaque(data: Uint8Array, len: number): void {
    if (data.byteLength !== len) {
      throw new XdrError(`opaque[${len}] given ${data.byteLength} bytes`);
    }
    this.raw(data);
  }

  opaque(data: Uint8Array, max: number): void {
    if (data.byteLength > max) {
      throw new XdrError(`opaque of ${data.byteLength} bytes exceeds the limit of ${max}`);
    }
    this.uint(data.byteLength);
    this.raw(data);
  }

  string(s: string, max: number): void {
    const bytes = textEncoder.encode(s);
    if (bytes.byteLength > max) {
      throw new XdrError(`string of ${bytes.byteLength} bytes exceeds the limit of ${max}`);
    }
    this.uint(bytes.byteLength);
    this.raw(bytes);
  }

  optional<T>(v: T | null | undefined, write: (w: XdrWriter, v: T) => void): void {
    if (v === null || v === undefined) {
      this.int(0);
    } else {
      this.int(1);
      write(this, v);
    }
  }

  /** Writes bytes followed by zero padding to a multiple of 4. */
  private raw(data: Uint8Array): void {
    const padded = (data.byteLength + 3) & ~3;
    this.ensure(padded);
    this.buf.set(data, this.offset);
    this.buf.fill(0, this.offset + data.byteLength, this.offset + padded);
    this.offset += padded;
  }

  /** A copy of the bytes written so far. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.offset);
  }
}
