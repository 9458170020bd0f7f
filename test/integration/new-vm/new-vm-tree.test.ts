import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { domainLookup, domainOpenConsole } from '../../../electron/libvirt/facade/domain';
import { documentRoot, findElement, findText, parseXml } from '../../../shared/xml';
import {
  ensureTinyLinux,
  TinyLinuxUnavailableError,
  type TinyLinuxAssets,
} from '../../harness/test-guests';
import { waitFor } from '../../harness/wait-for';
import { startVmApp, type VmApp } from '../vms/vm-test-support';
import {
  createDirPool,
  createVm,
  domState,
  dumpXml,
  poolVolumes,
  shortName,
  tinySpec,
} from './new-vm-support';

/**
 * A network-tree install: the tiny Linux's kernel and initrd served on loopback in the Red
 * Hat tree layout (images/pxeboot/), fetched by the app, uploaded into the pool and booted
 * with direct kernel boot — its shell answering on the serial console proves the kernel
 * boot works. The installer's reboot then stops the install run and the app starts the VM
 * again from its persistent definition, which has no kernel boot.
 */
let app: VmApp;
let pool: Awaited<ReturnType<typeof createDirPool>>;
let tiny: TinyLinuxAssets | null = null;
let unavailable = '';
let server: Server;
let treeUrl = '';
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  try {
    tiny = await ensureTinyLinux();
  } catch (err) {
    if (!(err instanceof TinyLinuxUnavailableError)) throw err;
    unavailable = err.message;
  }
  app = await startVmApp({ alias: 'newvm-tree' });
  pool = await createDirPool();
  const files: Record<string, string | undefined> = {
    '/tree/images/pxeboot/vmlinuz': tiny?.kernel,
    '/tree/images/pxeboot/initrd.img': tiny?.initrd,
  };
  server = createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    void readFile(file).then((data) => {
      res.writeHead(200, { 'content-length': data.length });
      res.end(req.method === 'HEAD' ? undefined : data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  treeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tree/`;
}, 600_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await pool?.remove();
  await app?.stop();
});

/** Everything the console says, and a way to type. */
async function openConsole(
  name: string,
): Promise<{ text: () => string; type: (s: string) => void; close: () => void }> {
  const c = app.services.connections.client(app.connectionId);
  if (!c) throw new Error('not connected');
  const stream: Duplex = await domainOpenConsole(c, await domainLookup(c, name), { force: true });
  let out = '';
  stream.on('data', (chunk: Buffer) => {
    out += chunk.toString('latin1');
  });
  stream.on('error', () => undefined);
  return { text: () => out, type: (s) => stream.write(s), close: () => stream.destroy() };
}

describe('network tree install', () => {
  it('fetches kernel and initrd into the pool, boots them, then restarts without them after the reboot', async (ctx) => {
    if (!tiny) return ctx.skip(`tiny Linux unavailable: ${unavailable}`);
    const name = shortName('t');
    const spec = tinySpec(app, name, {
      method: { kind: 'tree', url: treeUrl, kernelArgs: 'console=ttyS0' },
      memoryBytes: 128 * 1024 ** 2,
      graphics: 'none',
      storage: { kind: 'new', pool: pool.name, size: { value: 16, unit: 'MiB' }, format: 'qcow2' },
    });
    const { preview } = await createVm(app, spec, cleanups);
    expect(preview.volumes.map((v) => v.purpose)).toEqual(['disk', 'kernel', 'initrd']);
    expect(await poolVolumes(pool.name)).toEqual(
      expect.arrayContaining([
        `${name}.qcow2`,
        `${name}-install-vmlinuz`,
        `${name}-install-initrd.img`,
      ]),
    );
    const kernelBytes = (await readFile(tiny.kernel)).length;
    // The live run boots the uploaded kernel; the persistent definition does not.
    const live = documentRoot(parseXml(await dumpXml(name)));
    expect(findText(live, 'os/kernel')).toBe(`${pool.dir}/${name}-install-vmlinuz`);
    expect(findText(live, 'os/initrd')).toBe(`${pool.dir}/${name}-install-initrd.img`);
    expect(findText(live, 'os/cmdline')).toBe('console=ttyS0');
    expect(findText(live, 'on_reboot')).toBe('destroy');
    const persistent = documentRoot(parseXml(await dumpXml(name, true)));
    expect(findElement(persistent, 'os/kernel')).toBeUndefined();
    expect(findText(persistent, 'on_reboot')).toBe('restart');
    expect(kernelBytes).toBeGreaterThan(1024 * 1024);

    const tty = await openConsole(name);
    try {
      await waitFor(
        () => {
          tty.type('\r');
          return /virtdeck-tiny# /.test(tty.text()) ? true : undefined;
        },
        {
          what: 'the tiny Linux shell on the serial console',
          timeoutMs: 180_000,
          intervalMs: 1000,
          describeTimeout: () => tty.text().slice(-1500),
        },
      );
      // The installer's reboot: the install run ends and the app starts the VM again.
      tty.type('reboot -f\r');
    } finally {
      tty.close();
    }
    await waitFor(
      async () => {
        const xml = documentRoot(parseXml(await dumpXml(name)));
        return (await domState(name)) === 'running' && findElement(xml, 'os/kernel') === undefined
          ? true
          : undefined;
      },
      {
        what: 'the VM running again from its persistent definition',
        timeoutMs: 120_000,
        intervalMs: 500,
      },
    );
  }, 400_000);
});
