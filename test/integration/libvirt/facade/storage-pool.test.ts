import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import { LibvirtError } from '../../../../electron/libvirt/errors';
import {
  poolBuild,
  poolDefineXml,
  poolDelete,
  poolDestroy,
  poolGetAutostart,
  poolGetInfo,
  poolGetXml,
  poolList,
  poolLookup,
  poolRefresh,
  poolSetAutostart,
  poolStart,
  poolUndefine,
  type StoragePoolRef,
} from '../../../../electron/libvirt/facade/storage-pool';
import {
  Cleanup,
  daemon,
  openClient,
  uniqueName,
  virsh,
  virshFails,
  virshFields,
  virshXml,
} from './facade-fixture';

const { testUri, qemuUri, dir } = daemon();
const cleanup = new Cleanup();
let test: LibvirtClient;
let session: LibvirtClient;

beforeAll(async () => {
  test = await openClient(testUri, cleanup);
  session = await openClient(qemuUri, cleanup);
});
afterAll(() => cleanup.run());

/** What virsh pool-info --bytes says, in the facade's shape. */
async function virshPoolInfo(uri: string, name: string): Promise<Record<string, unknown>> {
  const f = virshFields(await virsh(uri, ['pool-info', '--bytes', name]));
  const active = f.get('State') === 'running';
  return {
    name: f.get('Name'),
    uuid: f.get('UUID'),
    stateName: f.get('State'),
    persistent: f.get('Persistent') === 'yes',
    autostart: f.get('Autostart') === 'yes',
    // An inactive pool has no sizes in pool-info.
    ...(active
      ? {
          capacity: BigInt(f.get('Capacity') ?? -1),
          allocation: BigInt(f.get('Allocation') ?? -1),
          available: BigInt(f.get('Available') ?? -1),
        }
      : {}),
  };
}

describe('storage pool facade (compared with virsh)', () => {
  const local = new Cleanup();
  afterEach(() => local.run());

  async function defineDirPool(c: LibvirtClient): Promise<{ pool: StoragePoolRef; path: string }> {
    const name = uniqueName('vd-pool');
    // In the daemon's own folder: the unprivileged daemon must be able to create it.
    const path = join(dir, name);
    const pool = await poolDefineXml(
      c,
      `<pool type='dir'><name>${name}</name><uuid>${randomUUID()}</uuid><target><path>${path}</path></target></pool>`,
    );
    local.add(`remove pool ${name}`, async () => {
      const now = (await poolList(c)).find((p) => p.uuid === pool.uuid);
      if (!now) return;
      if (now.stateName === 'running') await poolDestroy(c, pool);
      if (existsSync(path)) await poolDelete(c, pool);
      await poolUndefine(c, pool);
    });
    return { pool, path };
  }

  it('lists the test driver pools as virsh pool-list / pool-info --bytes do', async () => {
    const ours = await poolList(test);
    const names = (await virsh(testUri, ['pool-list', '--all', '--name']))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    expect(ours.map((p) => p.name).sort()).toEqual(names.sort());
    for (const p of ours) {
      expect(p).toMatchObject(await virshPoolInfo(testUri, p.name));
      expect(await poolGetInfo(test, p)).toEqual({
        state: p.state,
        stateName: p.stateName,
        capacity: p.capacity,
        allocation: p.allocation,
        available: p.available,
      });
    }
  });

  it('looks pools up by name and UUID; XML equals pool-dumpxml', async () => {
    const pool = await poolLookup(test, 'default-pool');
    expect(await poolLookup(test, pool.uuid)).toEqual(pool);
    expect(await poolGetXml(test, pool)).toBe(
      await virshXml(testUri, ['pool-dumpxml', 'default-pool']),
    );
    const err = await poolLookup(test, 'vd-no-such-pool').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err).toMatchObject({ codeName: 'VIR_ERR_NO_STORAGE_POOL' });
  });

  it('a dir pool on the session daemon: define, build, start, refresh, autostart, destroy, delete, undefine', async () => {
    const { pool, path } = await defineDirPool(session);
    expect(await virshPoolInfo(qemuUri, pool.name)).toMatchObject({
      stateName: 'inactive',
      persistent: true,
    });
    await poolBuild(session, pool);
    expect(existsSync(path)).toBe(true);
    await poolStart(session, pool);
    await poolRefresh(session, pool);
    await poolSetAutostart(session, pool, true);
    expect(await poolGetAutostart(session, pool)).toBe(true);
    const listed = (await poolList(session)).find((p) => p.uuid === pool.uuid);
    const reference = await virshPoolInfo(qemuUri, pool.name);
    // Free space moves with everything else on the disk; compare it loosely.
    const { available, ...stable } = reference;
    expect(listed).toMatchObject({ ...stable, stateName: 'running', autostart: true });
    const delta = (listed?.available ?? 0n) - (available as bigint);
    expect(delta < 0n ? -delta : delta).toBeLessThan(256n * 1024n * 1024n);
    expect(await poolGetXml(session, pool)).toBe(
      await virshXml(qemuUri, ['pool-dumpxml', pool.name]),
    );
    expect(await poolGetXml(session, pool, { inactive: true })).toBe(
      await virshXml(qemuUri, ['pool-dumpxml', '--inactive', pool.name]),
    );

    await poolDestroy(session, pool);
    expect((await poolGetInfo(session, pool)).stateName).toBe('inactive');
    await poolDelete(session, pool);
    expect(existsSync(path)).toBe(false);
    await poolUndefine(session, pool);
    expect(await virshFails(qemuUri, ['pool-info', pool.name])).toContain('failed to get pool');
  });

  it('starting with build creates the folder in one call; bad input is refused locally', async () => {
    const { pool, path } = await defineDirPool(session);
    await poolStart(session, pool, { build: true });
    expect(existsSync(path)).toBe(true);
    expect((await virshPoolInfo(qemuUri, pool.name)).stateName).toBe('running');
    await expect(poolBuild(session, pool, { overwrite: true, noOverwrite: true })).rejects.toThrow(
      TypeError,
    );
    await expect(poolDefineXml(session, '')).rejects.toThrow(TypeError);
  });
});
