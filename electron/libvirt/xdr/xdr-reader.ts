import { XdrError } from './xdr-error';

const textDecoder = new TextDecoder('utf-8');

/**
 * Bounds-checked XDR reader over one packet payload. Every length is checked against both
 * the declared maximum and the bytes actually left before anything is allocated, so a
 * hostile length field cannot make us allocate or loop.
 */
export class XdrReader {
  private offset: number;
  private readonly view: DataView;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.byteLength,
  ) {
    this.offset = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number, what: string): void {
    if (n > this.end - this.offset) {
      throw new XdrError(`truncated XDR: ${what} needs ${n} bytes, ${this.end - this.offset} left`);
    }
  }

  int(): number {
    this.need(4, 'int');
    const v = this.view.getInt32(this.offset);
    this.offset += 4;
    return v;
  }

  uint(): number {
    this.need(4, 'unsigned int');
    const v = this.view.getUint32(this.offset);
    this.offset += 4;
    return v;
  }

  hyper(): bigint {
    this.need(8, 'hyper');
    const v = this.view.getBigInt64(this.offset);
    this.offset += 8;
    return v;
  }

  uhyper(): bigint {
    this.need(8, 'unsigned hyper');
    const v = this.view.getBigUint64(this.offset);
    this.offset += 8;
    return v;
  }

  double(): number {
    this.need(8, 'double');
    const v = this.view.getFloat64(this.offset);
    this.offset += 8;
    return v;
  }

  float(): number {
    this.need(4, 'float');
    const v = this.view.getFloat32(this.offset);
    this.offset += 4;
    return v;
  }

  bool(): boolean {
    const v = this.int();
    if (v !== 0 && v !== 1) throw new XdrError(`invalid XDR bool ${v}`);
    return v === 1;
  }

  /** Length-prefixed count for a variable array, checked against its bound. */
  count(max: number, what: string): number {
    const n = this.uint();
    if (n > max) throw new XdrError(`${what}: ${n} elements exceed the limit of ${max}`);
    // Each element takes at least 4 bytes on the wire; refuse counts the packet cannot hold.
    if (n * 4 > this.remaining && n > 0) {
      throw new XdrError(`${what}: ${n} elements cannot fit in ${this.remaining} bytes`);
    }
    return n;
  }

  /** Fixed-length opaque data (no length prefix), padded to 4 bytes. */
  fixedOpaque(len: number): Uint8Array {
    const padded = (len + 3) & ~3;
    this.need(padded, `opaque[${len}]`);
    // A copy, never a view: Buffer#slice aliases the packet, which is reused and must not leak
    // into decoded values (and callers expect a plain Uint8Array).
    const out = new Uint8Array(this.buf.subarray(this.offset, this.offset + len));
    this.offset += padded;
    return out;
  }

  /** Variable-length opaque data, bounded by `max`. */
  opaque(max: number): Uint8Array {
    const len = this.uint();
    if (len > max) throw new XdrError(`opaque of ${len} bytes exceeds the limit of ${max}`);
    return this.fixedOpaque(len);
  }

  string(max: number): string {
    const len = this.uint();
    if (len > max) throw new XdrError(`string of ${len} bytes exceeds the limit of ${max}`);
    const padded = (len + 3) & ~3;
    this.need(padded, `string<${max}>`);
    const s = textDecoder.decode(this.buf.subarray(this.offset, this.offset + len));
    this.offset += padded;
    return s;
  }

  /** Optional value (`T *`): a 0/1 discriminant, then the value when 1. */
  optional<T>(read: (r: XdrReader) => T): T | null {
    return this.bool() ? read(this) : null;
  }

  /** Fails when bytes are left over: a payload longer than its type is malformed. */
  expectEnd(what: string): void {
    if (this.offset !== this.end) {
      throw new XdrError(`${what}: ${this.end - this.offset} unexpected trailing bytes`);
    }
  }
}
