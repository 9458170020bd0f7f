import { documentRoot, findText, parseXml, readVolume } from '../../shared/xml';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import type { DomainRef } from '../libvirt/facade/domain';
import { domainRefToRemote } from '../libvirt/facade/domain-ref';
import { volRefToRemote } from '../libvirt/facade/object-refs';
import type { StoragePoolRef } from '../libvirt/facade/storage-pool';
import {
  volCreateXml,
  volCreateXmlFrom,
  volGetInfo,
  volGetXml,
  volLookup,
  type StorageVolRef,
} from '../libvirt/facade/storage-volume';
import {
  VIR_DOMAIN_BLOCK_COPY_REUSE_EXT,
  VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB,
  VIR_ERR_NO_STORAGE_VOL,
} from '../libvirt/protocol/constants.gen';

const POLL_MS = 300;

export interface DiskCopyRequest {
  source: StorageVolRef;
  pool: StoragePoolRef;
  name: string;
  /** Bytes copied so far of this disk (and its total, when the copy learns it). */
  onProgress(bytes: number, total?: number): void;
  /** True once the user cancelled. */
  cancelled(): boolean;
  /** Called as soon as the new volume exists, so a failure later can delete it. */
  onCreated(vol: StorageVolRef): void;
}

export class CloneCancelled extends Error {
  constructor() {
    super('The clone was cancelled');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The new volume's XML: the source's format and size (and qcow2 compat level — libvirt
 * would otherwise write the old 0.10 format), allocated as it goes (sparse).
 */
export async function copyVolumeXml(
  c: LibvirtClient,
  source: StorageVolRef,
  name: string,
): Promise<{ xml: string; format: string; capacity: bigint; allocation: bigint }> {
  const [xml, info] = await Promise.all([volGetXml(c, source), volGetInfo(c, source)]);
  const doc = parseXml(xml);
  const format = readVolume(doc).format ?? 'raw';
  const compat = findText(documentRoot(doc), 'target/compat');
  if (!/^[a-z0-9-]+$/.test(format)) throw new Error(`unexpected volume format '${format}'`);
  const compatXml =
    compat && /^[0-9.]+$/.test(compat.trim()) ? `<compat>${compat.trim()}</compat>` : '';
  const out = [
    '<volume>',
    `  <name>${name}</name>`,
    `  <capacity unit='bytes'>${info.capacity}</capacity>`,
    `  <allocation unit='bytes'>0</allocation>`,
    `  <target><format type='${format}'/>${compatXml}</target>`,
    '</volume>',
  ].join('\n');
  return { xml: out, format, capacity: info.capacity, allocation: info.allocation };
}

/**
 * A shut-off source: libvirt's volume create-from (qemu-img convert or its own copy, in
 * another pool too). It cannot be aborted once started — libvirt even refuses to delete a
 * volume still being built — so a cancel takes effect when this copy ends. Progress is the
 * new volume's allocation, read while libvirt writes it.
 */
export async function copyOffline(c: LibvirtClient, req: DiskCopyRequest): Promise<StorageVolRef> {
  const { xml } = await copyVolumeXml(c, req.source, req.name);
  let done = false;
  const copy = volCreateXmlFrom(c, req.pool, xml, req.source).finally(() => {
    done = true;
  });
  const poll = (async () => {
    while (!done) {
      await sleep(POLL_MS);
      if (done) break;
      try {
        const vol = await volLookup(c, req.pool, req.name);
        req.onProgress(Number((await volGetInfo(c, vol)).allocation));
      } catch (err) {
        // Not listed yet, or gone after a failure: the copy's own result tells.
        if (!isLibvirtError(err, VIR_ERR_NO_STORAGE_VOL)) done = true;
      }
    }
  })();
  const vol = await copy;
  req.onCreated(vol);
  await poll;
  req.onProgress(Number((await volGetInfo(c, vol)).allocation));
  return vol;
}

/**
 * A running (paused) source: QEMU holds the image locked, so qemu-img under create-from is
 * refused ("Failed to get shared write lock"). The running QEMU copies it instead: a new
 * volume is made and a block copy mirrors the disk into it; once the mirror has caught up
 * it is ended without switching over, which leaves a complete copy and the source as it
 * was. This job can be aborted at any moment.
 */
export async function copyLive(
  c: LibvirtClient,
  dom: DomainRef,
  diskTarget: string,
  req: DiskCopyRequest,
): Promise<StorageVolRef> {
  const { xml, format } = await copyVolumeXml(c, req.source, req.name);
  const vol = await volCreateXml(c, req.pool, xml);
  req.onCreated(vol);
  const [path, info] = await Promise.all([
    c.remote.storageVolGetPath({ vol: volRefToRemote(vol) }),
    volGetInfo(c, vol),
  ]);
  const block = info.typeName === 'block';
  const destxml = block
    ? `<disk type='block'><driver type='${format}'/><source dev='${xmlAttr(path.name)}'/></disk>`
    : `<disk type='file'><driver type='${format}'/><source file='${xmlAttr(path.name)}'/></disk>`;
  const remoteDom = domainRefToRemote(dom);
  await c.remote.domainBlockCopy({
    dom: remoteDom,
    path: diskTarget,
    destxml,
    params: [],
    flags: VIR_DOMAIN_BLOCK_COPY_REUSE_EXT | VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB,
  });
  const abort = () => c.remote.domainBlockJobAbort({ dom: remoteDom, path: diskTarget, flags: 0 });
  try {
    for (;;) {
      if (req.cancelled()) throw new CloneCancelled();
      const job = await c.remote.domainGetBlockJobInfo({
        dom: remoteDom,
        path: diskTarget,
        flags: 0,
      });
      if (job.found === 0)
        throw new Error(`the block copy of ${diskTarget} ended before it was complete`);
      req.onProgress(Number(job.cur), Number(job.end));
      if (job.end > 0n && job.cur === job.end) break;
      await sleep(POLL_MS);
    }
  } catch (err) {
    await abort().catch(() => undefined);
    throw err;
  }
  // Without PIVOT: the VM keeps its own disk and the copy stays as it is now.
  await abort();
  return vol;
}

function xmlAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;');
}
