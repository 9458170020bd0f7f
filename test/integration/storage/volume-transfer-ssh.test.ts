import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SavedConnection } from '../../../shared/contract/connections';
import type { Result } from '../../../shared/contract/errors';
import type { TransferProgress, VolumeSummary } from '../../../shared/contract/storage';
import { startLoopbackSshd, type LoopbackSshd } from '../../harness/loopback-sshd';
import { runVirsh } from '../../harness/run-virsh';
import { socketQuery } from '../connections/unix-relay';
import { harness, startVmApp, testName, type VmApp } from '../vms/vm-test-support';

/**
 * The same transfers as volume-transfer.test.ts, but on a host reached through a real
 * OpenSSH server on loopback: the bulk connection each transfer opens must be carried by
 * SSH too, not fall back to the local socket.
 */
const libvirtd = inject('libvirtd');
const MiB = 1024 * 1024;
let sshd: LoopbackSshd;
let app: VmApp;
let localDir: string;
let t: { connectionId: string; pool: string };
const poolName = testName('vd-xfer-ssh').name;

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  sshd = await startLoopbackSshd();
  app = await startVmApp({ alias: 'local-host' });
  // The app's home is its config folder: the server's key is known there, nobody is asked.
  const known = path.join(app.configDir, '.ssh', 'known_hosts');
  await mkdir(path.dirname(known), { recursive: true, mode: 0o700 });
  await writeFile(known, `${sshd.knownHostsLine}\n`);
  const saved = await app.ok<SavedConnection>('connection:add', {
    alias: 'ssh-host',
    uri: `qemu+ssh://${sshd.user}@127.0.0.1:${sshd.port}/session?socket=${socketQuery(libvirtd.socketPath)}`,
    ssh: { useAgent: false, identityFile: sshd.clientKeyPath },
  });
  await app.ok('connection:connect', { id: saved.id });
  expect(app.services.connections.client(saved.id)?.uri).toMatch(/^qemu\+ssh:\/\//);
  localDir = await mkdtemp(path.join(os.tmpdir(), 'vd-xfer-ssh-local-'));
  await app.ok('pool:define', {
    connectionId: saved.id,
    name: poolName,
    type: 'dir',
    targetPath: path.join(harness().dir, poolName),
  });
  t = { connectionId: saved.id, pool: poolName };
}, 60_000);

afterAll(async () => {
  for (const args of [['pool-destroy'], ['pool-delete'], ['pool-undefine']]) {
    await runVirsh(harness().qemuUri, [...args, poolName]);
  }
  await app?.stop();
  await sshd?.stop();
  if (localDir) await rm(localDir, { recursive: true, force: true });
});

function progressOf(transferId: string): TransferProgress[] {
  return app.events
    .filter((e) => e.event.name === 'transfer:progress')
    .map((e) => e.event.payload as TransferProgress)
    .filter((p) => p.transferId === transferId);
}

/** sshd's own count of key logins (LogLevel VERBOSE). */
const logins = (): number => (sshd.logTail(100_000).match(/Accepted publickey/g) ?? []).length;

describe('volume upload and download over the loopback SSH session', () => {
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

    const before = logins();
    const up = randomUUID();
    const uploaded = await app.ok<{ bytes: number }>('vol:upload', {
      ...t,
      volume: 'up.raw',
      transferId: up,
      localPath: source,
    });
    expect(uploaded.bytes).toBe(data.length);
    const upProgress = progressOf(up);
    expect(upProgress.length).toBeGreaterThan(0);
    expect(upProgress.at(-1)).toMatchObject({
      direction: 'upload',
      bytes: data.length,
      total: data.length,
    });
    expect(upProgress.every((p) => p.bytesPerSecond >= 0)).toBe(true);
    // The bulk link is another channel on the host's pooled SSH session: no second login.
    expect(before).toBe(1);
    expect(logins()).toBe(before);

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
  }, 90_000);

  it('cancels a download mid-transfer and leaves no local file', async () => {
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
    expect(progressOf(transferId).at(-1)?.bytes).toBeLessThan(1024 * MiB);
    // The SSH host connection is untouched by the aborted bulk one.
    const vols = await app.ok<VolumeSummary[]>('vol:list', t);
    expect(vols.map((v) => v.name)).toContain('large.raw');
  }, 90_000);
});
