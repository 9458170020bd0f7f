import type { ByteChannel } from './byte-channel';

export interface RfbSession {
  channel: ByteChannel;
  width: number;
  height: number;
  bytesPerPixel: number;
}

/** QEMU's extended key event pseudo-encoding: QEMU acknowledges it at once, from its reader. */
const EXT_KEY_EVENT = -258;
/** QEMU refuses cut text over 1 MiB. */
const MAX_CUT_TEXT = 1024 * 1024 - 8;

function setEncodings(): Buffer {
  const message = Buffer.alloc(12);
  message[0] = 2;
  message.writeUInt16BE(2, 2);
  message.writeInt32BE(0, 4); // Raw
  message.writeInt32BE(EXT_KEY_EVENT, 8);
  return message;
}

/** RFB 3.8 with security None, shared, Raw encoding (plus the key event pseudo-encoding). */
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
  const session = {
    channel,
    width: init.readUInt16BE(0),
    height: init.readUInt16BE(2),
    bytesPerPixel: (init[4] ?? 32) / 8,
  };
  await ping(session);
  return session;
}

/**
 * One round trip of a small message that QEMU answers as soon as it reads it: SetEncodings
 * (12 bytes) and its 16-byte acknowledgement. Framebuffer updates would not do: QEMU sends
 * those on its refresh timer, which would be measured instead of the path.
 */
async function ping(session: RfbSession): Promise<void> {
  session.channel.write(setEncodings());
  const answer = await session.channel.read(16);
  if (answer[0] !== 0 || answer.readInt32BE(12) !== EXT_KEY_EVENT) {
    throw new Error('the VNC server did not acknowledge the extended key event encoding');
  }
}

/** Round-trip times in ms. */
export async function pings(session: RfbSession, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await ping(session);
    times.push(performance.now() - start);
  }
  return times;
}

/**
 * Bulk bytes towards the display, as fast as QEMU reads them: ClientCutText messages, then a
 * ping, which QEMU answers only after it has read everything before it.
 */
export async function upload(
  session: RfbSession,
  megabytes: number,
  chunkBytes: number,
): Promise<{ bytes: number; seconds: number }> {
  const text = Buffer.alloc(Math.min(chunkBytes, MAX_CUT_TEXT), 0x61);
  const head = Buffer.alloc(8);
  head[0] = 6;
  head.writeUInt32BE(text.length, 4);
  const message = Buffer.concat([head, text]);
  const count = Math.max(1, Math.round((megabytes * 1024 * 1024) / text.length));
  const start = performance.now();
  for (let i = 0; i < count; i++) session.channel.write(message);
  await ping(session);
  return { bytes: count * message.length, seconds: (performance.now() - start) / 1000 };
}

function updateRequest(width: number, height: number): Buffer {
  const request = Buffer.alloc(10);
  request[0] = 3;
  request.writeUInt16BE(width, 6);
  request.writeUInt16BE(height, 8);
  return request;
}

/**
 * Full-screen Raw updates, one request at a time (QEMU merges requests that arrive while one
 * is pending, and sends on its refresh timer): bytes and seconds of the display's own pace.
 */
export async function fullFrames(
  session: RfbSession,
  frames: number,
): Promise<{ bytes: number; seconds: number }> {
  const request = updateRequest(session.width, session.height);
  const start = performance.now();
  let bytes = 0;
  for (let i = 0; i < frames; i++) {
    session.channel.write(request);
    const head = await session.channel.read(4);
    if (head[0] !== 0) throw new Error(`unexpected server message ${head[0]}`);
    bytes += 4;
    for (let r = 0; r < head.readUInt16BE(2); r++) {
      const rect = await session.channel.read(12);
      const size =
        rect.readInt32BE(8) === 0
          ? rect.readUInt16BE(4) * rect.readUInt16BE(6) * session.bytesPerPixel
          : 0;
      await session.channel.read(size, false);
      bytes += 12 + size;
    }
  }
  return { bytes, seconds: (performance.now() - start) / 1000 };
}
