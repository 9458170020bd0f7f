import { XdrWriter } from '../xdr';
import { VirNetMessageStatus, virNetMessageErrorCodec } from '../protocol/virnet.gen';
import { LibvirtError, ProtocolError } from '../errors';
import { payloadReader, type PacketHeader } from './packet';
import type { ProcedureInfo } from './procedure';

/** A procedure's arguments as XDR (empty for procedures without args). */
export function encodeArgs(proc: ProcedureInfo<unknown, unknown>, args: unknown): Uint8Array {
  if (!proc.args) return new Uint8Array(0);
  const w = new XdrWriter();
  proc.args.encode(w, args);
  return w.bytes();
}

export type ReplyOutcome = { err: null; value: unknown } | { err: Error };

/**
 * What a REPLY means for the call it answers: the decoded ret, the daemon's error as a
 * LibvirtError, or a ProtocolError when the reply does not fit the call. Trailing bytes
 * are tolerated, as libvirt's own client does.
 */
export function decodeReply(
  proc: ProcedureInfo<unknown, unknown>,
  h: PacketHeader,
  payload: Buffer,
): ReplyOutcome {
  if (h.prog !== proc.program || h.proc !== proc.proc) {
    return {
      err: new ProtocolError(
        `reply for serial ${h.serial} names program ${h.prog} procedure ${h.proc}, expected ${proc.name}`,
      ),
    };
  }
  try {
    if (h.status === VirNetMessageStatus.VIR_NET_OK) {
      return { err: null, value: proc.ret ? proc.ret.decode(payloadReader(payload)) : undefined };
    }
    if (h.status === VirNetMessageStatus.VIR_NET_ERROR) {
      return {
        err: LibvirtError.fromRemote(virNetMessageErrorCodec.decode(payloadReader(payload))),
      };
    }
    return { err: new ProtocolError(`${proc.name}: reply with invalid status ${h.status}`) };
  } catch (err) {
    const what = h.status === VirNetMessageStatus.VIR_NET_OK ? 'reply' : 'error reply';
    const detail = err instanceof Error ? err.message : 'unknown failure';
    return {
      err: new ProtocolError(`${proc.name}: undecodable ${what}: ${detail}`, { cause: err }),
    };
  }
}
