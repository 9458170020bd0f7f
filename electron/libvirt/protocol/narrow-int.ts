import { XdrError } from '../xdr/xdr-error';
import type { XdrReader } from '../xdr/xdr-reader';
import type { XdrWriter } from '../xdr/xdr-writer';

/**
 * rpcgen encodes `char`, `unsigned char`, `short` and `unsigned short` as full 4-byte ints
 * (xdr_char & co.). These check the narrow C range on both sides so a bad value fails here
 * instead of being truncated by the daemon. Plain `char` accepts -128..255 because C's
 * `char` is signed on x86 but unsigned on ARM, so either spelling of a byte can arrive.
 */
function checked(v: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new XdrError(`${what} out of range: ${v}`);
  return v;
}

export const narrowInt = {
  readChar: (r: XdrReader): number => checked(r.int(), -128, 255, 'char'),
  writeChar: (w: XdrWriter, v: number): void => w.int(checked(v, -128, 255, 'char')),
  readUChar: (r: XdrReader): number => checked(r.uint(), 0, 255, 'unsigned char'),
  writeUChar: (w: XdrWriter, v: number): void => w.uint(checked(v, 0, 255, 'unsigned char')),
  readShort: (r: XdrReader): number => checked(r.int(), -32768, 32767, 'short'),
  writeShort: (w: XdrWriter, v: number): void => w.int(checked(v, -32768, 32767, 'short')),
  readUShort: (r: XdrReader): number => checked(r.uint(), 0, 65535, 'unsigned short'),
  writeUShort: (w: XdrWriter, v: number): void => w.uint(checked(v, 0, 65535, 'unsigned short')),
} as const;
