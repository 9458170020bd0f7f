export { XdrError } from './xdr-error';
export { XdrReader } from './xdr-reader';
export { XdrWriter } from './xdr-writer';
export type { XdrCodec } from './codec';
