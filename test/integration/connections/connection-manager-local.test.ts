import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it, onTestFinished } from 'vitest';
import type {
  ConnectionDetails,
  ConnectionList,
  ConnectionState,
  SavedConnection,
} from '../../../shared/contract/connections';
import { savedAliasSource } from '../../../electron/connections/resolve-saved-alias';
import { LibvirtClient } from '../../../electron/libvirt/client/libvirt-client';
import { domainList } from '../../../electron/libvirt/facade/domain';
import { runVirsh } from '../../harness/run-virsh';
import { waitFor } from '../../harness/wait-for';
import { startApp, type AppUnderTest } from './connection-test-support';

/** Saved connections against the harness's real private libvirtd, through the handler table. */
const libvirtd = inject('libvirtd');
const apps: AppUnderTest[] = [];
const servers: Array<{ server: Server; sockets: Socket[] }> = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
});
afterAll(async () => {
  for (const { server, sockets } of servers) {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => server.close(resolve));
  }
});

async function app(...args: Parameters<typeof startApp>): Promise<AppUnderTest> {
  const started = await startApp(...args);
  apps.push(started);
  return started;
}

/** A TCP port that accepts, reads and never says a word: a host that hangs. */
async function silentServer(): Promise<{ port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.resume(); // read (and drop) what comes, so the peer's close is seen
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ server, sockets });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { port: address.port, sockets };
}

describe('saved connections to the harness daemon', () => {
  it('connects by alias, shows details, lists domains, disconnects', async () => {
    const a = await app();
    const saved = await a.ok<SavedConnection>('connection:add', {
      alias: 'harness',
      uri: libvirtd.qemuUri,
    });
    const state = await a.ok<ConnectionState>('connection:connect', { id: saved.id });
    expect(state).toEqual({ status: 'connected', since: expect.any(Number) });
    expect(a.statesOf(saved.id)).toEqual(['connecting', 'connected']);

    const details = await a.ok<ConnectionDetails>('connection:details', { id: saved.id });
    expect(details).toMatchObject({
      connectionId: saved.id,
      alias: 'harness',
      uri: libvirtd.qemuUri,
      driverUri: 'qemu:///session',
      hostname: os.hostname(),
      hypervisorType: 'QEMU',
      libvirtVersion: expect.stringMatching(/^9\.\d+\.\d+$/),
      hypervisorVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      autoconnect: false,
      readOnly: false,
    });
    // virsh nodeinfo is the reference: the same daemon call, printed by libvirt's own client.
    const nodeinfo = (await runVirsh(libvirtd.qemuUri, ['nodeinfo'])).stdout;
    const field = (name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(nodeinfo)?.[1];
    expect(details.cpuModel).toBe(field('CPU model'));
    expect(String(details.cpuCount)).toBe(field('CPU\\(s\\)'));
    expect(`${details.memoryKiB} KiB`).toBe(field('Memory size'));

    const client = a.services.connections.client(saved.id);
    if (!client) throw new Error('no client while connected');
    const names = (await domainList(client)).map((d) => d.name).sort();
    const virsh = await runVirsh(libvirtd.qemuUri, ['list', '--all', '--name']);
    expect(names).toEqual(virsh.stdout.split('\n').filter(Boolean).sort());

    expect(await a.ok('connection:disconnect', { id: saved.id })).toEqual({
      status: 'disconnected',
    });
    expect(a.services.connections.client(saved.id)).toBeNull();
    // A user disconnect is final: no reconnect is scheduled.
    expect(a.statesOf(saved.id)).toEqual(['connecting', 'connected', 'disconnected']);
    const detailsAfter = await a.call('connection:details', { id: saved.id });
    expect(detailsAfter).toMatchObject({
      ok: false,
      error: { message: 'harness is not connected; connect it to see its details' },
    });
  });

  it('reports libvirt’s own error for a URI the daemon refuses, and for a missing socket', async () => {
    const a = await app();
    const bad = await a.ok<SavedConnection>('connection:add', {
      alias: 'nofile',
      uri: libvirtd.testUri.replace('test+unix:///default', 'test+unix:///no-such-file.xml'),
    });
    const result = await a.call('connection:connect', { id: bad.id });
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'libvirt', codeName: expect.stringMatching(/^VIR_ERR_/) },
    });
    const last = a.states.at(-1)?.state;
    expect(last).toMatchObject({ status: 'failed', kind: 'libvirt', code: expect.any(Number) });
    if (!result.ok && last?.status === 'failed') expect(last.message).toBe(result.error.message);

    const gone = await a.ok<SavedConnection>('connection:add', {
      alias: 'gone',
      uri: 'qemu+unix:///session?socket=/nonexistent/libvirt-sock',
    });
    const missing = await a.call('connection:connect', { id: gone.id });
    expect(missing).toMatchObject({
      ok: false,
      error: {
        kind: 'transport',
        message:
          "Failed to connect socket to '/nonexistent/libvirt-sock': No such file or directory",
      },
    });
    // A first connect that fails is not retried by itself.
    expect(a.statesOf(gone.id)).toEqual(['connecting', 'failed']);
  });

  it('autoconnects in parallel at start-up: a hanging host holds up no one; a restart does it again', async () => {
    const configDir = await mkdtemp(path.join(os.tmpdir(), 'vd-conn-restart-'));
    onTestFinished(() => rm(configDir, { recursive: true, force: true }));
    const first = await app({ configDir });
    const { port, sockets } = await silentServer();
    const hanging = await first.ok<SavedConnection>('connection:add', {
      alias: 'hangs',
      uri: `qemu+tcp://127.0.0.1:${port}/system`,
      autoconnect: true,
    });
    const qemu = await first.ok<SavedConnection>('connection:add', {
      alias: 'qemu',
      uri: libvirtd.qemuUri,
      autoconnect: true,
    });
    const test = await first.ok<SavedConnection>('connection:add', {
      alias: 'test',
      uri: libvirtd.testUri,
      autoconnect: true,
    });
    await first.ok<SavedConnection>('connection:add', {
      alias: 'manual',
      uri: libvirtd.testUri.replace('default', 'default&x=1'),
    });
    await first.stop();
    apps.splice(apps.indexOf(first), 1);

    // "Restart the app" on the same config folder, with a short handshake timeout.
    const handshakeTimeoutMs = 4_000;
    const again = await app({
      configDir,
      connections: { firstLaunch: false, tuning: { handshakeTimeoutMs } },
    });
    const started = performance.now();
    await again.services.connections.start();
    const [q, t] = await Promise.all([
      again.waitForStatus(qemu.id, 'connected'),
      again.waitForStatus(test.id, 'connected'),
    ]);
    const slowest = Math.max(q.at, t.at) - started;
    expect(slowest).toBeLessThan(handshakeTimeoutMs / 2);
    expect(again.services.connections.state(hanging.id)).toEqual({ status: 'connecting' });

    const failed = await again.waitForStatus(hanging.id, 'failed', handshakeTimeoutMs + 5_000);
    expect(failed.at - started).toBeGreaterThanOrEqual(handshakeTimeoutMs - 100);
    expect(failed.state).toMatchObject({ kind: 'transport', reason: 'timeout' });
    // The abandoned link was closed, not leaked.
    await waitFor(
      () => (sockets.length === 1 && sockets.every((s) => s.destroyed) ? true : undefined),
      {
        what: 'the hanging host’s connection to be closed',
        timeoutMs: 5_000,
      },
    );
    await again.services.connections.autoconnectSettled();
    const list = await again.ok<ConnectionList>('connection:list', {});
    expect(list.connections.map((e) => [e.connection.alias, e.state.status])).toEqual([
      ['hangs', 'failed'],
      ['qemu', 'connected'],
      ['test', 'connected'],
      ['manual', 'disconnected'],
    ]);
    process.stdout.write(
      `autoconnect: 2 hosts connected in ${Math.round(slowest)} ms while a third hung for ${handshakeTimeoutMs} ms\n`,
    );
  });

  it('vdctl’s seam: a saved alias opens with LibvirtClient like a libvirt.conf alias', async () => {
    const a = await app();
    await a.ok('connection:add', { alias: 'harness-test', uri: libvirtd.testUri });
    const client = await LibvirtClient.open('harness-test', {
      config: null,
      extraAliases: savedAliasSource(a.configDir),
    });
    try {
      expect(client.resolvedUri).toBe(libvirtd.testUri);
      expect((await domainList(client)).map((d) => d.name)).toContain('test');
    } finally {
      await client.close();
    }
  });
});
