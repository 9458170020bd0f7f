import { XdrReader, XdrWriter, type XdrCodec } from '../../../../electron/libvirt/xdr';

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
}

export function encode<T>(codec: XdrCodec<T>, value: T): Uint8Array {
  const w = new XdrWriter();
  codec.encode(w, value);
  return w.bytes();
}

/** Decodes a whole payload; trailing bytes are an error, as for a real packet. */
export function decode<T>(codec: XdrCodec<T>, bytes: Uint8Array | string): T {
  const r = new XdrReader(typeof bytes === 'string' ? fromHex(bytes) : bytes);
  const v = codec.decode(r);
  r.expectEnd('payload');
  return v;
}
