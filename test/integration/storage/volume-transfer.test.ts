import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/errors';
import type { TransferProgress, VolumeSummary } from '../../../shared/contract/storage';
import { runVirsh } from '../../harness/run-virsh';
import { harness, startVmApp, testName, virsh, type VmApp } from '../vms/vm-test-support';

const MiB = 1024 * 1024;
let app: VmApp;
let localDir: string;
let t: { connectionId: string; pool: string };
const poolName = testName('vd-xfer').name;

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  app = await startVmApp({ alias: 'transfer-host' });
  localDir = await mkdtemp(path.join(os.tmpdir(), 'vd-xfer-local-'));
  await app.ok('pool:define', {
    connectionId: app.connectionId,
    name: poolName,
    type: 'dir',
    targetPath: path.join(harness().dir, poolName),
  });
  t = { connectionId: app.connectionId, pool: poolName };
}, 60_000);

afterAll(async () => {
  for (const args of [['pool-destroy'], ['pool-delete'], ['pool-undefine']]) {
    await runVirsh(harness().qemuUri, [...args, poolName]);
  }
  await app?.stop();
  if (localDir) await rm(localDir, { recursive: true, force: true });
});

function progressOf(transferId: string): TransferProgress[] {
  return app.events
    .filter((e) => e.event.name === 'transfer:progress')
    .map((e) => e.event.payload as TransferProgress)
    .filter((p) => p.transferId === transferId);
}

describe('volume upload and download on a bulk connection', () => {
  it('uploads a file and downloads it back byte-identical, with progress', async () => {
    const data = randomBytes(4 * MiB);
    const source = path.join(localDir, 'source.img');
    await writeFile(source, data);
    await app.ok<VolumeSummary>('vol:create', {
      ...t,
      name: 'up.raw',
      format: 'raw',
      capacity: { value: 4, unit: 'MiB' },
    });

    const up = randomUUID();
    const uploaded = await app.ok<{ bytes: number }>('vol:upload', {
      ...t,
      volume: 'up.raw',
      transferId: up,
      localPath: source,
    });
    expect(uploaded.bytes).toBe(data.length);
    const upProgress = progressOf(up);
    expect(upProgress.at(-1)).toMatchObject({
      direction: 'upload',
      bytes: data.length,
      total: data.length,
    });
    expect(upProgress.every((p) => p.bytesPerSecond >= 0)).toBe(true);
    // The daemon's own reader agrees the volume holds our bytes.
    const copy = path.join(localDir, 'via-virsh.img');
    await virsh(['vol-download', '--pool', poolName, 'up.raw', copy]);
    expect(sha256(await readFile(copy))).toBe(sha256(data));

    const down = randomUUID();
    const target = path.join(localDir, 'downloaded.img');
    const downloaded = await app.ok<{ bytes: number }>('vol:download', {
      ...t,
      volume: 'up.raw',
      transferId: down,
      localPath: target,
    });
    expect(downloaded.bytes).toBe(data.length);
    expect(sha256(await readFile(target))).toBe(sha256(data));
    expect(progressOf(down).at(-1)).toMatchObject({ direction: 'download', bytes: data.length });
  }, 60_000);

  it('refuses up front a file larger than the volume', async () => {
    await app.ok('vol:create', {
      ...t,
      name: 'small.raw',
      format: 'raw',
      capacity: { value: 1, unit: 'MiB' },
    });
    const big = path.join(localDir, 'big.img');
    await writeFile(big, Buffer.alloc(2 * MiB, 7));
    const transferId = randomUUID();
    const error = await app.fails('vol:upload', {
      ...t,
      volume: 'small.raw',
      transferId,
      localPath: big,
    });
    expect(error.message).toMatch(/is larger than volume small\.raw \(1048576 bytes\)/);
    expect(progressOf(transferId)).toEqual([]);
  }, 30_000);

  it('cancels a download mid-transfer and leaves no local file', async () => {
    // Sparse on the host, but a download streams its whole 1 GiB: long enough to cancel.
    await app.ok('vol:create', {
      ...t,
      name: 'large.raw',
      format: 'raw',
      capacity: { value: 1, unit: 'GiB' },
    });
    const transferId = randomUUID();
    const target = path.join(localDir, 'cancelled.img');
    const call: Promise<Result<unknown>> = app.call('vol:download', {
      ...t,
      volume: 'large.raw',
      transferId,
      localPath: target,
    });
    await app.waitForEvent('transfer:progress', (p) => p.transferId === transferId && p.bytes > 0);
    expect(await app.ok('transfer:cancel', { transferId })).toEqual({ cancelled: true });
    const result = await call;
    expect(result).toMatchObject({ ok: false, error: { message: 'The transfer was cancelled' } });
    expect(existsSync(target)).toBe(false);
    expect((await readdir(localDir)).filter((f) => f.startsWith('cancelled'))).toEqual([]);
    const last = progressOf(transferId).at(-1);
    expect(last?.bytes).toBeLessThan(1024 * MiB);
    // The host connection is untouched by the aborted bulk one.
    const vols = await app.ok<VolumeSummary[]>('vol:list', t);
    expect(vols.map((v) => v.name)).toContain('large.raw');
    expect(await app.ok('transfer:cancel', { transferId })).toEqual({ cancelled: false });
  }, 60_000);
});
