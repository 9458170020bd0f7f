import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/errors';
import {
  VOLUME_TRANSFER_HEADER,
  VOLUME_TRANSFER_PATH,
  type VolumeSummary,
} from '../../../shared/contract/storage';
import { handleVolumeTransfer } from '../../../electron/storage/volume-transfer-endpoint';
import { runVirsh } from '../../harness/run-virsh';
import { harness, startVmApp, testName, virsh, type VmApp } from '../vms/vm-test-support';

// The web host's transfer endpoint on a loopback server of its own (the web host adds only
// the token check in front, covered by the e2e spec): browser-style PUT/GET bodies, real
// libvirt streams behind.
const MiB = 1024 * 1024;
let app: VmApp;
let server: Server;
let origin: string;
const poolName = testName('vd-xhttp').name;
const sha256 = (b: Buffer | Uint8Array): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  app = await startVmApp({ alias: 'transfer-http' });
  await app.ok('pool:define', {
    connectionId: app.connectionId,
    name: poolName,
    type: 'dir',
    targetPath: path.join(harness().dir, poolName),
  });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void handleVolumeTransfer(app.services.transfers, req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  for (const args of [['pool-destroy'], ['pool-delete'], ['pool-undefine']]) {
    await runVirsh(harness().qemuUri, [...args, poolName]);
  }
  await app?.stop();
});

function urlOf(volume: string, transferId = randomUUID()): string {
  const q = new URLSearchParams({
    connectionId: app.connectionId,
    pool: poolName,
    volume,
    transferId,
  });
  return `${origin}${VOLUME_TRANSFER_PATH}?${q.toString()}`;
}

async function createVolume(name: string, mib: number): Promise<void> {
  await app.ok<VolumeSummary>('vol:create', {
    connectionId: app.connectionId,
    pool: poolName,
    name,
    format: 'raw',
    capacity: { value: mib, unit: 'MiB' },
  });
}

describe('volume transfers with the browser’s files (web host endpoint)', () => {
  it('uploads a PUT body and downloads it back byte-identical', async () => {
    await createVolume('web.iso', 3);
    const data = randomBytes(3 * MiB);
    const put = await fetch(urlOf('web.iso'), {
      method: 'PUT',
      headers: { [VOLUME_TRANSFER_HEADER]: '1' },
      body: data,
    });
    expect(put.status).toBe(200);
    expect((await put.json()) as Result<{ bytes: number }>).toEqual({
      ok: true,
      value: { bytes: 3 * MiB },
    });
    const vols = await app.ok<VolumeSummary[]>('vol:list', {
      connectionId: app.connectionId,
      pool: poolName,
    });
    const path = vols.find((v) => v.name === 'web.iso')?.path;
    expect(path).toBeDefined();
    expect(await virsh(['vol-info', '--pool', poolName, 'web.iso'])).toMatch(
      /Capacity:\s+3\.00 MiB/,
    );

    const get = await fetch(urlOf('web.iso'));
    expect(get.status).toBe(200);
    expect(get.headers.get('content-disposition')).toBe('attachment; filename="web.iso"');
    expect(sha256(new Uint8Array(await get.arrayBuffer()))).toBe(sha256(data));
  });

  it('refuses a file larger than the volume with the reason, and a PUT without the header', async () => {
    await createVolume('small.img', 1);
    const big = randomBytes(2 * MiB);
    const put = await fetch(urlOf('small.img'), {
      method: 'PUT',
      headers: { [VOLUME_TRANSFER_HEADER]: '1' },
      body: big,
    });
    const result = (await put.json()) as Result<unknown>;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/larger than volume small\.img/);

    const forged = await fetch(urlOf('small.img'), { method: 'PUT', body: big });
    expect(forged.status).toBe(403);
  });

  it('answers a bad query with the validation message', async () => {
    const res = await fetch(`${origin}${VOLUME_TRANSFER_PATH}?pool=x`, {
      method: 'PUT',
      headers: { [VOLUME_TRANSFER_HEADER]: '1' },
      body: 'x',
    });
    expect(res.status).toBe(400);
    const result = (await res.json()) as Result<unknown>;
    expect(result.ok).toBe(false);
  });
});
