import type { BytePipe } from './byte-pipe';

/** Everything a VNC server said during a handshake and one full framebuffer update. */
export interface RfbTranscript {
  banner: Buffer;
  securityTypes: Buffer;
  securityResult: Buffer;
  serverInit: Buffer;
  width: number;
  height: number;
  /** The FramebufferUpdate message, header and raw pixels, byte for byte. */
  update: Buffer;
  /** Bytes per pixel of the server's pixel format. */
  bytesPerPixel: number;
}

/**
 * A minimal RFB 3.8 client (RFC 6143): security None, shared session, Raw encoding only, one
 * non-incremental update of the whole screen — deterministic enough that two connections
 * to a paused guest must see the same bytes.
 */
export async function rfbProbe(pipe: BytePipe): Promise<RfbTranscript> {
  const banner = await pipe.read(12);
  if (!/^RFB \d{3}\.\d{3}\n$/.test(banner.toString('latin1'))) {
    throw new Error(`not an RFB banner: ${JSON.stringify(banner.toString('latin1'))}`);
  }
  pipe.write('RFB 003.008\n');
  const count = (await pipe.read(1))[0] ?? 0;
  if (count === 0) throw new Error('the server refused the connection');
  const types = await pipe.read(count);
  const securityTypes = Buffer.concat([Buffer.from([count]), types]);
  if (!types.includes(1)) throw new Error(`security None not offered: ${[...types].join(',')}`);
  pipe.write(Buffer.from([1]));
  const securityResult = await pipe.read(4);
  if (securityResult.readUInt32BE(0) !== 0) throw new Error('security handshake failed');
  pipe.write(Buffer.from([1])); // ClientInit, shared
  const head = await pipe.read(24);
  const name = await pipe.read(head.readUInt32BE(20));
  const serverInit = Buffer.concat([head, name]);
  const width = head.readUInt16BE(0);
  const height = head.readUInt16BE(2);
  const bytesPerPixel = (head[4] ?? 32) / 8;
  // SetEncodings [Raw], then FramebufferUpdateRequest (not incremental) for everything.
  pipe.write(Buffer.from([2, 0, 0, 1, 0, 0, 0, 0]));
  const request = Buffer.alloc(10);
  request[0] = 3;
  request.writeUInt16BE(width, 6);
  request.writeUInt16BE(height, 8);
  pipe.write(request);
  const updateHead = await pipe.read(4);
  if (updateHead[0] !== 0)
    throw new Error(`expected FramebufferUpdate, got message ${updateHead[0]}`);
  const parts = [updateHead];
  for (let i = 0; i < updateHead.readUInt16BE(2); i++) {
    const rect = await pipe.read(12);
    parts.push(rect);
    const encoding = rect.readInt32BE(8);
    if (encoding !== 0) throw new Error(`unexpected encoding ${encoding}`);
    parts.push(
      await pipe.read(rect.readUInt16BE(4) * rect.readUInt16BE(6) * bytesPerPixel, 60_000),
    );
  }
  return {
    banner,
    securityTypes,
    securityResult,
    serverInit,
    width,
    height,
    update: Buffer.concat(parts),
    bytesPerPixel,
  };
}

/** How many pixels differ from the first one (a blank screen has none). */
export function distinctPixels(transcript: RfbTranscript): number {
  const pixels = transcript.update.subarray(16);
  const bpp = transcript.bytesPerPixel;
  const first = pixels.subarray(0, bpp);
  let differ = 0;
  for (let i = 0; i + bpp <= pixels.length; i += bpp) {
    if (!pixels.subarray(i, i + bpp).equals(first)) differ++;
  }
  return differ;
}
