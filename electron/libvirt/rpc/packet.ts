import { XdrError, XdrReader, XdrWriter } from '../xdr';
import {
  VirNetMessageStatus,
  VIR_NET_MESSAGE_HEADER_MAX,
  VIR_NET_MESSAGE_LEN_MAX,
  VIR_NET_MESSAGE_MAX,
  virNetMessageHeaderCodec,
  type VirNetMessageHeader,
} from '../protocol/virnet.gen';
import { ProtocolError } from '../errors';
import type { ProcedureInfo } from './procedure';

export type PacketHeader = VirNetMessageHeader;

/** A whole packet: its header and a view of the payload (no copy). */
export interface Packet {
  readonly header: PacketHeader;
  readonly payload: Buffer;
}

/** Length word + header: the smallest valid packet. */
export const PACKET_MIN_LENGTH = VIR_NET_MESSAGE_LEN_MAX + VIR_NET_MESSAGE_HEADER_MAX;
/** VIR_NET_MESSAGE_MAX excludes the length word; our length words include it. */
export const PACKET_MAX_LENGTH = VIR_NET_MESSAGE_MAX + VIR_NET_MESSAGE_LEN_MAX;

/** Checks a length word before anything is allocated for the packet it announces. */
export function checkPacketLength(length: number): void {
  if (length < PACKET_MIN_LENGTH) {
    throw new ProtocolError(
      `packet length ${length} is shorter than the ${PACKET_MIN_LENGTH}-byte RPC header`,
    );
  }
  if (length > PACKET_MAX_LENGTH) {
    throw new ProtocolError(
      `packet length ${length} exceeds the protocol limit of ${PACKET_MAX_LENGTH} bytes`,
    );
  }
}

/** The header of a packet about `proc` (a call, its stream, or a keepalive message). */
export function headerFor(
  proc: ProcedureInfo<unknown, unknown>,
  type: number,
  serial: number,
  status: number = VirNetMessageStatus.VIR_NET_OK,
): PacketHeader {
  return { prog: proc.program, vers: proc.version, proc: proc.proc, type, serial, status };
}

function encodeHeaderBytes(header: PacketHeader): Uint8Array {
  const w = new XdrWriter(PACKET_MIN_LENGTH);
  w.uint(0); // length word, patched once the payload size is known
  virNetMessageHeaderCodec.encode(w, header);
  return w.bytes();
}

/** Builds one packet: length word, header, then `payload` (already-encoded XDR or raw bytes). */
export function encodePacket(header: PacketHeader, payload?: Uint8Array): Buffer {
  const head = encodeHeaderBytes(header);
  const bodyLength = payload?.byteLength ?? 0;
  const length = head.byteLength + bodyLength;
  if (length > PACKET_MAX_LENGTH) {
    throw new ProtocolError(
      `outgoing packet of ${length} bytes exceeds the protocol limit of ${PACKET_MAX_LENGTH} bytes`,
    );
  }
  const out = Buffer.allocUnsafe(length);
  out.set(head, 0);
  if (payload) out.set(payload, head.byteLength);
  out.writeUInt32BE(length, 0);
  return out;
}

/**
 * An XDR reader over a payload. Buffer.slice() returns a view where Uint8Array.slice()
 * copies, so decoding from a plain Uint8Array view gives opaque fields that are real
 * Uint8Array copies, not Buffers pinning the whole socket chunk.
 */
export function payloadReader(payload: Buffer): XdrReader {
  return new XdrReader(new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength));
}

/** Decodes a complete frame (length word included) into header and payload view. */
export function decodePacket(frame: Buffer): Packet {
  try {
    const r = new XdrReader(frame, VIR_NET_MESSAGE_LEN_MAX, PACKET_MIN_LENGTH);
    const header = virNetMessageHeaderCodec.decode(r);
    return { header, payload: frame.subarray(PACKET_MIN_LENGTH) };
  } catch (err) {
    if (err instanceof XdrError) {
      throw new ProtocolError(`undecodable packet header: ${err.message}`, { cause: err });
    }
    throw err;
  }
}
