import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotThumbnails } from '../../../electron/snapshots/snapshot-thumbnails';

const conn = '11111111-1111-4111-8111-111111111111';
const vm = '22222222-2222-4222-8222-222222222222';
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('SnapshotThumbnails', () => {
  it('stores, lists, reads and removes by host, VM and any snapshot name', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vd-thumbs-'));
    dirs.push(dir);
    const store = new SnapshotThumbnails(dir);
    const odd = '../../etc/passwd ünïcode';
    await store.save(conn, vm, odd, Buffer.from('png-1'));
    await store.save(conn, vm, 'plain', Buffer.from('png-2'));
    expect(await store.names(conn, vm)).toEqual(new Set([odd, 'plain']));
    expect((await store.read(conn, vm, odd))?.toString()).toBe('png-1');
    // Every file stays inside the VM's own folder, whatever the name.
    const files = await readdir(path.join(dir, 'snapshot-thumbnails', conn, vm));
    expect(files).toHaveLength(2);
    expect(files.every((f) => !f.includes('/') && f.endsWith('.png'))).toBe(true);
    await store.remove(conn, vm, [odd]);
    expect(await store.read(conn, vm, odd)).toBeNull();
    expect(await store.names(conn, vm)).toEqual(new Set(['plain']));
    expect(await store.names(conn, '33333333-3333-4333-8333-333333333333')).toEqual(new Set());
    await expect(store.read('../x', vm, 'a')).rejects.toThrow(TypeError);
  });
});
