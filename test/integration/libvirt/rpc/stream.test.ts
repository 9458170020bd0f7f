import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  openConnection,
  type LibvirtConnection,
} from '../../../../electron/libvirt/open-connection';
import {
  VIR_ERR_NO_STORAGE_VOL,
  VIR_STORAGE_POOL_CREATE_WITH_BUILD,
} from '../../../../electron/libvirt/protocol/constants.gen';
import {
  remoteProcedures,
  type RemoteNonnullStoragePool,
  type RemoteNonnullStorageVol,
} from '../../../../electron/libvirt/protocol/remote.gen';

const { qemuUri, dir } = inject('libvirtd');
const SIZE = 1024 * 1024 + 12345; // several 262120-byte packets plus a ragged tail

describe('libvirt streams against the private libvirtd (dir pool)', () => {
  let conn: LibvirtConnection;
  let pool: RemoteNonnullStoragePool;
  let vol: RemoteNonnullStorageVol;

  beforeAll(async () => {
    conn = await openConnection(qemuUri, { config: null, env: {} });
    const name = `rpc-stream-${process.pid}`;
    ({ pool } = await conn.rpc.call(remoteProcedures.STORAGE_POOL_CREATE_XML, {
      xml: `<pool type='dir'><name>${name}</name><target><path>${dir}/${name}</path></target></pool>`,
      flags: VIR_STORAGE_POOL_CREATE_WITH_BUILD,
    }));
    ({ vol } = await conn.rpc.call(remoteProcedures.STORAGE_VOL_CREATE_XML, {
      pool,
      xml: `<volume><name>data.raw</name><capacity unit='bytes'>${SIZE}</capacity><target><format type='raw'/></target></volume>`,
      flags: 0,
    }));
  });

  afterAll(async () => {
    if (vol) await conn.rpc.call(remoteProcedures.STORAGE_VOL_DELETE, { vol, flags: 0 });
    if (pool) await conn.rpc.call(remoteProcedures.STORAGE_POOL_DESTROY, { pool });
    await conn?.close();
  });

  it('uploads, then downloads byte-identical data', async () => {
    const data = randomBytes(SIZE);
    const t0 = performance.now();
    const up = await conn.rpc.callWithStream(remoteProcedures.STORAGE_VOL_UPLOAD, {
      vol,
      offset: 0n,
      length: BigInt(SIZE),
      flags: 0,
    });
    up.stream.end(data);
    await finished(up.stream);
    const uploadMs = performance.now() - t0;

    const t1 = performance.now();
    const down = await conn.rpc.callWithStream(remoteProcedures.STORAGE_VOL_DOWNLOAD, {
      vol,
      offset: 0n,
      length: 0n,
      flags: 0,
    });
    const parts: Buffer[] = [];
    for await (const chunk of down.stream) parts.push(chunk as Buffer);
    await finished(down.stream);
    const downloadMs = performance.now() - t1;
    const back = Buffer.concat(parts);
    expect(back.length).toBe(SIZE);
    expect(back.equals(data)).toBe(true);
    console.log(
      `[rpc streams] ${SIZE} bytes: upload ${uploadMs.toFixed(0)} ms, download ${downloadMs.toFixed(0)} ms`,
    );
    // The connection is still usable after both streams finished.
    await expect(conn.rpc.call(remoteProcedures.CONNECT_GET_URI, undefined)).resolves.toEqual({
      uri: 'qemu:///session',
    });
  });

  it('downloads a range (offset + length)', async () => {
    const down = await conn.rpc.callWithStream(remoteProcedures.STORAGE_VOL_DOWNLOAD, {
      vol,
      offset: 1000n,
      length: 300000n,
      flags: 0,
    });
    let total = 0;
    for await (const chunk of down.stream) total += (chunk as Buffer).length;
    expect(total).toBe(300000);
  });

  it('aborting a download mid-way leaves the connection working', async () => {
    const down = await conn.rpc.callWithStream(remoteProcedures.STORAGE_VOL_DOWNLOAD, {
      vol,
      offset: 0n,
      length: 0n,
      flags: 0,
    });
    await new Promise<void>((resolve) => down.stream.once('data', () => resolve()));
    down.stream.destroy();
    await expect(conn.rpc.call(remoteProcedures.CONNECT_GET_URI, undefined)).resolves.toEqual({
      uri: 'qemu:///session',
    });
  });

  it('a stream call the daemon refuses rejects with libvirt’s error and opens no stream', async () => {
    const missing = { ...vol, name: 'no-such-volume', key: `${vol.key}.missing` };
    const err = await conn.rpc
      .callWithStream(remoteProcedures.STORAGE_VOL_UPLOAD, {
        vol: missing,
        offset: 0n,
        length: 10n,
        flags: 0,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'LibvirtError', code: VIR_ERR_NO_STORAGE_VOL });
    await expect(conn.rpc.call(remoteProcedures.CONNECT_GET_URI, undefined)).resolves.toEqual({
      uri: 'qemu:///session',
    });
  });
});
