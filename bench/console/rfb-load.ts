import type { ByteChannel } from './byte-channel';

export interface RfbSession {
  channel: ByteChannel;
  width: number;
  height: number;
  bytesPerPixel: number;
}

/** RFB 3.8 with security None, shared, Raw encoding only. */
export async function rfbHandshake(channel: ByteChannel): Promise<RfbSession> {
  const banner = (await channel.read(12)).toString('latin1');
  if (!banner.startsWith('RFB ')) throw new Error(`not a VNC server: ${JSON.stringify(banner)}`);
  channel.write(Buffer.from('RFB 003.008\n', 'latin1'));
  const count = (await channel.read(1))[0] ?? 0;
  const types = await channel.read(count);
  if (!types.includes(1)) throw new Error('the VNC server wants a password; the bench needs none');
  channel.write(Buffer.from([1]));
  if ((await channel.read(4)).readUInt32BE(0) !== 0) throw new Error('VNC security failed');
  channel.write(Buffer.from([1]));
  const init = await channel.read(24);
  await channel.read(init.readUInt32BE(20));
  channel.write(Buffer.from([2, 0, 0, 1, 0, 0, 0, 0]));
  return {
    channel,
    width: init.readUInt16BE(0),
    height: init.readUInt16BE(2),
    bytesPerPixel: (init[4] ?? 32) / 8,
  };
}

function updateRequest(x: number, y: number, w: number, h: number): Buffer {
  const request = Buffer.alloc(10);
  request[0] = 3;
  request.writeUInt16BE(x, 2);
  request.writeUInt16BE(y, 4);
  request.writeUInt16BE(w, 6);
  request.writeUInt16BE(h, 8);
  return request;
}

/** Reads one FramebufferUpdate of Raw rectangles; returns its size in bytes. */
async function readUpdate(session: RfbSession, keep: boolean): Promise<number> {
  const head = await session.channel.read(4);
  if (head[0] !== 0) throw new Error(`unexpected server message ${head[0]}`);
  let bytes = 4;
  for (let i = 0; i < head.readUInt16BE(2); i++) {
    const rect = await session.channel.read(12);
    const size = rect.readUInt16BE(4) * rect.readUInt16BE(6) * session.bytesPerPixel;
    await session.channel.read(size, keep);
    bytes += 12 + size;
  }
  return bytes;
}

/**
 * `frames` full-screen updates, one request at a time (QEMU merges requests that arrive while
 * one is pending into a single update): bytes and seconds.
 */
export async function fullFrames(
  session: RfbSession,
  frames: number,
): Promise<{ bytes: number; seconds: number }> {
  const request = updateRequest(0, 0, session.width, session.height);
  const start = performance.now();
  let bytes = 0;
  for (let i = 0; i < frames; i++) {
    session.channel.write(request);
    bytes += await readUpdate(session, false);
  }
  return { bytes, seconds: (performance.now() - start) / 1000 };
}

/** Round trips of the smallest exchange: a 1×1 update request and its 20-byte answer (ms). */
export async function pings(session: RfbSession, count: number): Promise<number[]> {
  const request = updateRequest(0, 0, 1, 1);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    session.channel.write(request);
    await readUpdate(session, true);
    times.push(performance.now() - start);
  }
  return times;
}
