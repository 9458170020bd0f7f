import { Writable } from 'node:stream';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { volDownload, type StorageVolRef } from '../libvirt/facade/storage-volume';

/** ISO 9660: the volume descriptors start at sector 16 (2048-byte sectors). */
export const ISO_PVD_OFFSET = 16 * 2048;
export const ISO_PVD_LENGTH = 2048;

/**
 * The volume identifier of an ISO 9660 primary volume descriptor (the bytes at
 * ISO_PVD_OFFSET), or null when the bytes are not one: type 1, "CD001", label at 40..71.
 */
export function isoVolumeId(descriptor: Buffer): string | null {
  if (descriptor.length < 72) return null;
  if (descriptor[0] !== 1 || descriptor.toString('latin1', 1, 6) !== 'CD001') return null;
  const label = descriptor.toString('latin1', 40, 72).replace(/[\s\0]+$/, '');
  return label === '' ? null : label;
}

/**
 * `length` bytes of a pool volume from `offset`, through libvirt's download stream, so it
 * works on remote hosts. Short volumes give fewer bytes. A stream that has not finished after
 * `timeoutMs` is aborted and the call fails: detection is a convenience and must never hold
 * the wizard (one loaded e2e run saw a download stream that did not end).
 */
export async function readVolumeBytes(
  c: LibvirtClient,
  vol: StorageVolRef,
  offset: number,
  length: number,
  timeoutMs = 15_000,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      // The daemon may send more than asked of a sparse tail; keep only what was asked.
      if (size < length) chunks.push(chunk);
      size += chunk.length;
      callback();
    },
  });
  const timer = setTimeout(() => {
    sink.destroy(new Error(`Reading the volume's first bytes took over ${timeoutMs / 1000} s`));
  }, timeoutMs);
  try {
    await volDownload(c, vol, { sink, offset, length });
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).subarray(0, length);
}
