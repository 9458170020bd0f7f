import type { XdrCodec } from '../xdr/codec';

/** How a procedure uses a stream after its reply (from the `.x` annotations, or overrides). */
export type StreamDirection = 'none' | 'read' | 'write' | 'both';

/**
 * One RPC procedure, as emitted by build/gen-protocol. `A`/`R` are `void` for procedures
 * without args/ret, and then the codec is null.
 */
export interface ProcedureInfo<A, R> {
  readonly program: number;
  readonly version: number;
  readonly proc: number;
  /** e.g. 'REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME' */
  readonly name: string;
  readonly args: XdrCodec<A> | null;
  readonly ret: XdrCodec<R> | null;
  readonly stream: StreamDirection;
  readonly priority: 'high' | 'low';
}

/** An event (MESSAGE packet) procedure and its payload codec. */
export interface EventInfo<M> {
  readonly program: number;
  readonly version: number;
  readonly proc: number;
  readonly name: string;
  readonly msg: XdrCodec<M>;
}

/**
 * What generated per-procedure clients call. Implemented by rpc/connection.ts; kept as an
 * interface so generated code never depends on the transport.
 */
export interface RpcCaller {
  call<A, R>(proc: ProcedureInfo<A, R>, args: A): Promise<R>;
}
