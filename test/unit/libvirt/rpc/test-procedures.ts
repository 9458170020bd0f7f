import type { XdrCodec } from '../../../../electron/libvirt/xdr';
import type { ProcedureInfo, StreamDirection } from '../../../../electron/libvirt/rpc/procedure';
import type { RpcLogger } from '../../../../electron/libvirt/rpc/rpc-logger';

/** A program number no libvirt daemon uses: these procedures exist only in fake-daemon tests. */
export const TEST_PROGRAM = 0x7e570001;

export const uintCodec: XdrCodec<number> = {
  encode: (w, v) => w.uint(v),
  decode: (r) => r.uint(),
};

/** `uint echo(uint)` at procedure `proc`, with the given priority and stream direction. */
export function testProc(
  proc: number,
  priority: 'high' | 'low' = 'low',
  stream: StreamDirection = 'none',
): ProcedureInfo<number, number> {
  return {
    program: TEST_PROGRAM,
    version: 1,
    proc,
    name: `TEST_PROC_${proc}`,
    args: uintCodec,
    ret: uintCodec,
    stream,
    priority,
  };
}

export interface CapturedLog extends RpcLogger {
  readonly warnings: string[];
}

export function captureLog(): CapturedLog {
  const warnings: string[] = [];
  return {
    warnings,
    warn: (message) => warnings.push(message),
    debug: () => {},
  };
}
