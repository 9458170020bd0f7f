import { parentPort, workerData } from 'node:worker_threads';
import { tcpChannel, wsChannel, type ByteChannel } from './byte-channel';
import { fullFrames, pings, rfbHandshake, upload } from './rfb-load';

/** Where the measuring client connects: a TCP port, or a console WebSocket URL. */
export type MeasureTarget =
  { kind: 'tcp'; port: number } | { kind: 'ws'; url: string; origin: string; masked: boolean };

export interface MeasureRequest {
  target: MeasureTarget;
  megabytes: number;
  /** Size of each bulk message (one WebSocket message each through the bridge). */
  chunkBytes: number;
  pings: number;
  frames: number;
}

export interface MeasureResult {
  bulkBytesPerSecond: number;
  frameBytesPerSecond: number;
  rttMedianMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

/**
 * The client side of one measurement, on its own thread — as the browser is its own process —
 * so the bridge's work and the client's do not share one event loop.
 */
async function measure(request: MeasureRequest): Promise<MeasureResult> {
  const { target } = request;
  const channel: ByteChannel =
    target.kind === 'tcp'
      ? await tcpChannel(target.port)
      : await wsChannel(target.url, target.origin, target.masked);
  try {
    const session = await rfbHandshake(channel);
    const bulk = await upload(session, request.megabytes, request.chunkBytes);
    const rtts = await pings(session, request.pings);
    const frames = await fullFrames(session, request.frames);
    return {
      bulkBytesPerSecond: bulk.bytes / bulk.seconds,
      frameBytesPerSecond: frames.bytes / frames.seconds,
      rttMedianMs: median(rtts),
    };
  } finally {
    channel.close();
  }
}

measure(workerData as MeasureRequest).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (err: unknown) => parentPort?.postMessage({ ok: false, message: (err as Error).message }),
);
