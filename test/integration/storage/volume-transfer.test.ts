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
import { harness, startVmApp, testName, virsh, type VmApp } from '../vms/vm-test-support';

/**
 * Volume upload/download on the bulk connection each transfer opens, over both transports a
 * host can have: the local unix socket, and a real OpenSSH server on loopback — there the bulk
 * link must be carried by SSH too (a channel on the host's session, no second login), never
 * fall back to the local socket.
 */
const MiB = 1024 * 1024;
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface OpenedHost {
  app: VmApp;
  connectionId: string;
  /** sshd's count of key logins, for transports that log in. */
  logins?: () => number;
  stop(): Promise<void>;
}

interface Transport {
  label: string;
  open(): Promise<OpenedHost>;
}

const unixSocket: Transport = {
  label: 'the local unix socket',
  async open() {
    const app = await startVmApp({ alias: 'transfer-host' });
    return { app, connectionId: app.connectionId, stop: () => app.stop() };
  },
};

const loopbackSsh: Transport = {
  label: 'the loopback SSH session',
  async open() {
    const libvirtd = inject('libvirtd');
    const sshd: LoopbackSshd = await startLoopbackSshd();
    const app = await startVmApp({ alias: 'local-host' });
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
    return {
      app,
      connectionId: saved.id,
      logins: () => (sshd.logTail(100_000).match(/Accepted publickey/g) ?? []).length,
      async stop() {
        await app.stop();
        await sshd.stop();
      },
    };
  },
};

describe.each([unixSocket, loopbackSsh])('volume upload and download over $label', (transport) => {
  let host: OpenedHost;
  let app: VmApp;
  let localDir: string;
  let t: { connectionId: string; pool: string };
  const poolName = testName('vd-xfer').name;

  beforeAll(async () => {
    host = await transport.open();
    app = host.app;
    localDir = await mkdtemp(path.join(os.tmpdir(), 'vd-xfer-local-'));
    await app.ok('pool:define', {
      connectionId: host.connectionId,
      name: poolName,
      type: 'dir',
      targetPath: path.join(harness().dir, poolName),
    });
    t = { connectionId: host.connectionId, pool: poolName };
  }, 60_000);

  afterAll(async () => {
    for (const args of [['pool-destroy'], ['pool-delete'], ['pool-undefine']]) {
      await runVirsh(harness().qemuUri, [...args, poolName]);
    }
    await host?.stop();
    if (localDir) await rm(localDir, { recursive: true, force: true });
  });

  function progressOf(transferId: string): TransferProgress[] {
    return app.events
      .filter((e) => e.event.name === 'transfer:progress')
      .map((e) => e.event.payload as TransferProgress)
      .filter((p) => p.transferId === transferId);
  }

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

    const loginsBefore = host.logins?.();
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
    if (host.logins) {
      // The bulk link is another channel on the host's pooled SSH session: no second login.
      expect(loginsBefore).toBe(1);
      expect(host.logins()).toBe(loginsBefore);
    }
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
  }, 90_000);

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
    expect(progressOf(transferId).at(-1)?.bytes).toBeLessThan(1024 * MiB);
    // The host connection is untouched by the aborted bulk one.
    const vols = await app.ok<VolumeSummary[]>('vol:list', t);
    expect(vols.map((v) => v.name)).toContain('large.raw');
    expect(await app.ok('transfer:cancel', { transferId })).toEqual({ cancelled: false });
  }, 90_000);
});
