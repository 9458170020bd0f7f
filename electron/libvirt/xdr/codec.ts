import type { XdrReader } from './xdr-reader';
import type { XdrWriter } from './xdr-writer';

/** Encoder/decoder pair for one XDR type; generated code provides one per struct/union. */
export interface XdrCodec<T> {
  encode(w: XdrWriter, value: T): void;
  decode(r: XdrReader): T;
}
