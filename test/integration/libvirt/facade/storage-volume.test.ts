import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import { LibvirtError } from '../../../../electron/libvirt/errors';
import {
  poolDefineXml,
  poolDelete,
  poolDestroy,
  poolStart,
  poolUndefine,
  type StoragePoolRef,
} from '../../../../electron/libvirt/facade/storage-pool';
import {
  volCreateXml,
  volCreateXmlFrom,
  volDelete,
  volDownload,
  volGetInfo,
  volGetXml,
  volList,
  volLookup,
  volLookupByPath,
  volResize,
  volUpload,
  volWipe,
  type StorageVolRef,
} from '../../../../electron/libvirt/facade/storage-volume';
import {
  Cleanup,
  daemon,
  openClient,
  uniqueName,
  virsh,
  virshFails,
  virshFields,
  virshTable,
  virshXml,
} from './facade-fixture';

const MiB = 1024 * 1024;
const { qemuUri, dir } = daemon();
const cleanup = new Cleanup();
let c: LibvirtClient;
let pool: StoragePoolRef;

function volumeXml(name: string, bytes: number): string {
  return `<volume><name>${name}</name><capacity unit='bytes'>${bytes}</capacity><target><format type='raw'/></target></volume>`;
}

/** Collects a download in memory. */
function memorySink(): { sink: Writable; data: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    sink: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
    data: () => Buffer.concat(chunks),
  };
}

/** '2097152 bytes' → 2097152n */
function virshBytes(text: string | undefined): bigint {
  const m = /^(\d+) bytes$/.exec(text ?? '');
  if (!m?.[1]) throw new Error(`not a byte count: ${String(text)}`);
  return BigInt(m[1]);
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  c = await openClient(qemuUri, cleanup);
  // A dir pool in a temp folder of the (unprivileged) session daemon.
  const name = uniqueName('vd-volpool');
  pool = await poolDefineXml(
    c,
    `<pool type='dir'><name>${name}</name><uuid>${randomUUID()}</uuid><target><path>${join(dir, name)}</path></target></pool>`,
  );
  cleanup.add(`undefine ${name}`, () => poolUndefine(c, pool));
  await poolStart(c, pool, { build: true });
  cleanup.add(`delete ${name}`, () => poolDelete(c, pool));
  cleanup.add(`destroy ${name}`, () => poolDestroy(c, pool));
});
afterAll(() => cleanup.run());

describe('storage volume facade on a session dir pool (compared with virsh)', () => {
  async function createVol(bytes: number): Promise<StorageVolRef> {
    const name = `${uniqueName('vd-vol')}.raw`;
    const vol = await volCreateXml(c, pool, volumeXml(name, bytes));
    cleanup.add(`delete volume ${name}`, async () => {
      if ((await volList(c, pool)).some((v) => v.key === vol.key)) await volDelete(c, vol);
    });
    return vol;
  }

  it('lists volumes as vol-list / vol-info --bytes show them', async () => {
    const a = await createVol(2 * MiB);
    const b = await createVol(1 * MiB);
    const ours = await volList(c, pool);
    const rows = virshTable(await virsh(qemuUri, ['vol-list', '--pool', pool.name]));
    expect(ours.map((v) => [v.name, v.path]).sort()).toEqual(rows.map((r) => [r[0], r[1]]).sort());
    for (const vol of [a, b]) {
      const listed = ours.find((v) => v.key === vol.key);
      const info = virshFields(await virsh(qemuUri, ['vol-info', '--bytes', vol.key]));
      expect(listed).toMatchObject({
        name: info.get('Name'),
        typeName: info.get('Type'),
        capacity: virshBytes(info.get('Capacity')),
        allocation: virshBytes(info.get('Allocation')),
      });
      expect(await volGetInfo(c, vol)).toEqual({
        type: listed?.type,
        typeName: listed?.typeName,
        capacity: listed?.capacity,
        allocation: listed?.allocation,
      });
    }
  });

  it('looks volumes up by name and path; XML equals vol-dumpxml', async () => {
    const vol = await createVol(MiB);
    expect(await volLookup(c, pool, vol.name)).toEqual(vol);
    expect(await volLookupByPath(c, vol.key)).toEqual(vol);
    expect(await volGetXml(c, vol)).toBe(await virshXml(qemuUri, ['vol-dumpxml', vol.key]));
    const err = await volLookup(c, pool, 'vd-missing.raw').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err).toMatchObject({ codeName: 'VIR_ERR_NO_STORAGE_VOL' });
  });

  it('uploads random data on a bulk connection and downloads it byte-identical', async () => {
    const size = 5 * MiB + 123;
    const vol = await createVol(size);
    const data = randomBytes(size);
    const bulk = await c.openBulk();
    cleanup.add('close bulk client', () => bulk.close());
    expect(bulk.connection).not.toBe(c.connection);

    const progress: number[] = [];
    // Uneven pieces: the stream must re-chunk to the protocol's packet size by itself.
    const pieces = [data.subarray(0, 1000), data.subarray(1000, 3 * MiB), data.subarray(3 * MiB)];
    await volUpload(bulk, vol, {
      source: Readable.from(pieces),
      onProgress: (n) => progress.push(n),
    });
    expect(progress.at(-1)).toBe(size);
    expect([...progress].sort((x, y) => x - y)).toEqual(progress);

    const whole = memorySink();
    await volDownload(bulk, vol, { sink: whole.sink });
    expect(whole.data().length).toBe(size);
    expect(sha256(whole.data())).toBe(sha256(data));

    // A slice by offset and length.
    const part = memorySink();
    await volDownload(bulk, vol, { sink: part.sink, offset: 4096n, length: 65536n });
    expect(part.data().equals(data.subarray(4096, 4096 + 65536))).toBe(true);

    // virsh reads the same bytes back.
    const file = join(dir, `${vol.name}.virsh-download`);
    cleanup.add('remove virsh download', () =>
      import('node:fs/promises').then((fs) => fs.rm(file, { force: true })),
    );
    await virsh(qemuUri, ['vol-download', vol.key, file]);
    const { readFile } = await import('node:fs/promises');
    expect(sha256(await readFile(file))).toBe(sha256(data));
  });

  it('an upload the daemon stops mid-stream fails with its error (more data than length)', async () => {
    const vol = await createVol(MiB);
    const err = await volUpload(c, vol, {
      source: Readable.from([randomBytes(MiB)]),
      length: 4096n,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    const file = join(dir, `${vol.name}.upload-src`);
    const { rm, writeFile } = await import('node:fs/promises');
    await writeFile(file, randomBytes(MiB), { mode: 0o644 });
    cleanup.add('remove upload source', () => rm(file, { force: true }));
    expect(await virshFails(qemuUri, ['vol-upload', vol.key, file, '--length', '4096'])).toContain(
      (err as LibvirtError).message,
    );
    // The connection is still usable afterwards.
    expect((await volGetInfo(c, vol)).capacity).toBe(BigInt(MiB));
  });

  it('clones, resizes, wipes and deletes', async () => {
    const source = await createVol(MiB);
    const data = randomBytes(MiB);
    await volUpload(c, source, { source: Readable.from([data]) });

    const cloneName = `${uniqueName('vd-clone')}.raw`;
    const clone = await volCreateXmlFrom(c, pool, volumeXml(cloneName, MiB), source);
    cleanup.add('delete clone', async () => {
      if ((await volList(c, pool)).some((v) => v.key === clone.key)) await volDelete(c, clone);
    });
    const copied = memorySink();
    await volDownload(c, clone, { sink: copied.sink });
    expect(copied.data().equals(data)).toBe(true);

    await volResize(c, clone, BigInt(3 * MiB));
    expect(
      virshBytes(
        virshFields(await virsh(qemuUri, ['vol-info', '--bytes', clone.key])).get('Capacity'),
      ),
    ).toBe(BigInt(3 * MiB));
    await volResize(c, clone, BigInt(MiB), { delta: true });
    expect((await volGetInfo(c, clone)).capacity).toBe(BigInt(4 * MiB));
    await expect(volResize(c, clone, -1n)).rejects.toThrow(TypeError);

    await volWipe(c, source);
    const wiped = memorySink();
    await volDownload(c, source, { sink: wiped.sink });
    expect(wiped.data().equals(Buffer.alloc(MiB))).toBe(true);
    // The same with an explicit algorithm (STORAGE_VOL_WIPE_PATTERN).
    await volUpload(c, source, { source: Readable.from([data]) });
    await volWipe(c, source, { algorithm: 'zero' });
    const zeroed = memorySink();
    await volDownload(c, source, { sink: zeroed.sink });
    expect(zeroed.data().equals(Buffer.alloc(MiB))).toBe(true);

    await volDelete(c, clone);
    expect(await virshFails(qemuUri, ['vol-info', clone.key])).toContain('failed to get vol');
  });
});
