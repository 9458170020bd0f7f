import { Readable } from 'node:stream';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { volUpload, type StorageVolRef } from '../libvirt/facade/storage-volume';

/** Chunks of at most this size, so progress moves and no single frame is huge. */
const CHUNK = 256 * 1024;

/**
 * Writes `data` into a volume through libvirt's upload stream, on a bulk connection of its
 * own so the host's other calls and events keep flowing meanwhile.
 */
export async function uploadBuffer(
  c: LibvirtClient,
  vol: StorageVolRef,
  data: Buffer,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const bulk = await c.openBulk();
  try {
    const chunks = function* (): Generator<Buffer> {
      for (let at = 0; at < data.length; at += CHUNK) yield data.subarray(at, at + CHUNK);
    };
    await volUpload(bulk, vol, {
      source: Readable.from(chunks()),
      length: data.length,
      ...(onProgress ? { onProgress: (done: number) => onProgress(done, data.length) } : {}),
    });
  } finally {
    await bulk.close().catch(() => undefined);
  }
}
