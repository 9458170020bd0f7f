import { ProtocolError } from '../errors';
import { checkPacketLength } from './packet';

const LENGTH_BYTES = 4;

/**
 * Splits a byte stream into length-prefixed frames. Chunks may cut a packet anywhere, and
 * one chunk may hold many packets. A bad length word is fatal: after it nothing on the
 * stream can be trusted, so the framer stays failed and the connection must be dropped.
 */
export class PacketFramer {
  private readonly lengthWord = Buffer.alloc(LENGTH_BYTES);
  private lengthFill = 0;
  private frame: Buffer | null = null;
  private frameFill = 0;
  private failure: ProtocolError | null = null;

  /** Bytes of an incomplete packet held back; non-zero at EOF means a cut-off packet. */
  get pendingBytes(): number {
    return this.frame ? this.frameFill : this.lengthFill;
  }

  /**
   * Feeds one chunk; `onFrame` gets every complete frame (length word included). Frames
   * that arrive whole inside one chunk are views into it, the rest are fresh buffers.
   */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    if (this.failure) throw this.failure;
    let pos = 0;
    while (pos < chunk.length) {
      if (this.frame) {
        const n = Math.min(this.frame.length - this.frameFill, chunk.length - pos);
        chunk.copy(this.frame, this.frameFill, pos, pos + n);
        this.frameFill += n;
        pos += n;
        if (this.frameFill === this.frame.length) {
          const done = this.frame;
          this.frame = null;
          this.frameFill = 0;
          onFrame(done);
        }
        continue;
      }

      if (this.lengthFill === 0 && chunk.length - pos >= LENGTH_BYTES) {
        const length = this.validated(chunk.readUInt32BE(pos));
        if (chunk.length - pos >= length) {
          onFrame(chunk.subarray(pos, pos + length));
          pos += length;
        } else {
          this.startFrame(length, chunk.subarray(pos, pos + LENGTH_BYTES));
          pos += LENGTH_BYTES;
        }
        continue;
      }

      const n = Math.min(LENGTH_BYTES - this.lengthFill, chunk.length - pos);
      chunk.copy(this.lengthWord, this.lengthFill, pos, pos + n);
      this.lengthFill += n;
      pos += n;
      if (this.lengthFill === LENGTH_BYTES) {
        this.lengthFill = 0;
        this.startFrame(this.validated(this.lengthWord.readUInt32BE(0)), this.lengthWord);
      }
    }
  }

  private validated(length: number): number {
    try {
      checkPacketLength(length);
      return length;
    } catch (err) {
      this.failure = err as ProtocolError;
      throw err;
    }
  }

  private startFrame(length: number, lengthWord: Buffer): void {
    this.frame = Buffer.allocUnsafe(length);
    lengthWord.copy(this.frame, 0, 0, LENGTH_BYTES);
    this.frameFill = LENGTH_BYTES;
  }
}
