import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConsoleOpenResult } from '../../../shared/contract/consoles';
import type { EventEnvelope } from '../../../shared/contract/events';
import { ConsoleService } from '../../../electron/consoles/console-service';
import { connectionHostLinks } from '../../../electron/consoles/host-links';
import { RendererAssets } from '../../../electron/services/renderer-assets';
import { WebAuth } from '../../../electron/web/web-auth';
import { WebHost } from '../../../electron/web/web-host';
import { TOKEN_COOKIE } from '../../../shared/contract/wire';
import { domainResume } from '../../../electron/libvirt/facade/domain';
import type { LibvirtClient } from '../../../electron/libvirt/client/libvirt-client';
import {
  ensureTinyLinux,
  firmwareVncGuestXml,
  TINY_LINUX_READY_MARKER,
  TinyLinuxUnavailableError,
  tinyLinuxGuestXml,
  type TinyLinuxAssets,
} from '../../harness/test-guests';
import { waitFor } from '../../harness/wait-for';
import { refusedStatus, wsPipe } from './byte-pipe';
import { DRAWN_PIXELS, pauseOnDrawnScreen } from './paused-screen';
import {
  APP_ORIGIN,
  connectHost,
  expectReady,
  runGuest,
  startConsoleApp,
  ticketUrl,
  type ConsoleApp,
} from './console-fixture';
import { distinctPixels, rfbProbe } from './rfb-probe';
import '../../harness/provided';

/**
 * Consoles of real TCG guests on the harness daemon, through the bridge exactly as the
 * renderer reaches it (Electron's loopback endpoint: token in the path, app:// Origin,
 * `binary` subprotocol): a VNC display byte for byte against a direct TCP read, a serial
 * console both ways, and every way in without a valid ticket refused.
 */
const libvirtd = inject('libvirtd');
let c: ConsoleApp;
let connectionId = '';
let client: LibvirtClient;
const removals: Array<() => Promise<void>> = [];
let vnc: { uuid: string; port: number };
let tiny: TinyLinuxAssets | null = null;
let tinyUnavailable = '';

beforeAll(async () => {
  c = await startConsoleApp();
  connectionId = await connectHost(c.app, libvirtd.qemuUri);
  client = c.app.services.connections.client(connectionId) as LibvirtClient;
  const uuid = randomUUID();
  const guest = await runGuest(
    client,
    firmwareVncGuestXml({ name: `vd-con-vnc-${uuid.slice(0, 6)}`, uuid }),
  );
  removals.push(guest.remove);
  const info = await c.app.ok<{ graphics: Array<{ port: number | null }> }>('console:info', {
    connectionId,
    uuid,
  });
  vnc = { uuid, port: info.graphics[0]?.port ?? 0 };
  try {
    tiny = await ensureTinyLinux();
  } catch (err) {
    if (!(err instanceof TinyLinuxUnavailableError)) throw err;
    tinyUnavailable = err.message;
  }
});

afterAll(async () => {
  for (const remove of removals.reverse()) await remove().catch(() => undefined);
  await c?.stop();
});

function openVnc(): Promise<ConsoleOpenResult> {
  return c.app.ok<ConsoleOpenResult>('console:open', {
    connectionId,
    uuid: vnc.uuid,
    device: { kind: 'graphics', index: 0 },
  });
}

describe('VNC display through the bridge', () => {
  it('reports the display and its live port', async () => {
    const info = await c.app.ok<{
      active: boolean;
      hostTransport: string;
      graphics: Array<{ type: string; listen: string; port: number; problem: string | null }>;
    }>('console:info', { connectionId, uuid: vnc.uuid });
    expect(info.active).toBe(true);
    expect(info.hostTransport).toBe('local');
    expect(info.graphics).toEqual([
      expect.objectContaining({ type: 'vnc', listen: '127.0.0.1', problem: null }),
    ]);
    expect(info.graphics[0]?.port).toBeGreaterThanOrEqual(5900);
  });

  it('carries the same bytes as a direct TCP connection: handshake and a full update', async () => {
    // A paused guest draws nothing new, so both connections must see the same screen.
    const dom = { name: '', uuid: vnc.uuid, id: -1 };
    const reference = await pauseOnDrawnScreen(client, dom, vnc.port);
    try {
      const ticket = expectReady(await openVnc());
      expect(ticket).toMatchObject({ kind: 'vnc', route: 'direct', maxConnections: 1 });
      const opened = await wsPipe(ticketUrl(ticket), { origin: APP_ORIGIN });
      expect(opened.protocol).toBe('binary');
      const bridged = await rfbProbe(opened.pipe);
      opened.ws.close();
      expect(bridged.banner.toString('latin1')).toBe('RFB 003.008\n');
      expect(bridged.securityTypes.equals(reference.securityTypes)).toBe(true);
      expect(bridged.serverInit.equals(reference.serverInit)).toBe(true);
      expect(bridged.update.length).toBe(reference.update.length);
      expect(bridged.update.equals(reference.update)).toBe(true);
      // SeaBIOS drew text: not a blank screen.
      expect(distinctPixels(bridged)).toBeGreaterThan(DRAWN_PIXELS);
    } finally {
      await domainResume(client, dom);
    }
  });

  it('admits one socket per VNC ticket and forgets the token when it closes', async () => {
    const ticket = expectReady(await openVnc());
    const url = ticketUrl(ticket);
    const first = await wsPipe(url, { origin: APP_ORIGIN });
    await first.pipe.read(12);
    expect(await refusedStatus(url, { origin: APP_ORIGIN })).toBe(409);
    first.ws.close();
    await first.closed;
    await waitFor(
      () => (c.app.services.consoles.service.bridge.has(ticket.id) ? undefined : true),
      { what: 'the session to end', timeoutMs: 10_000 },
    );
    expect(await refusedStatus(url, { origin: APP_ORIGIN })).toBe(401);
  });

  it('refuses token-less, wrong-token and foreign-Origin upgrades', async () => {
    const ticket = expectReady(await openVnc());
    const base = ticket.wsOrigin as string;
    expect(await refusedStatus(`${base}/ws/console/`, { origin: APP_ORIGIN })).toBe(401);
    const wrong = randomBytes(32).toString('base64url');
    expect(await refusedStatus(`${base}/ws/console/${wrong}`, { origin: APP_ORIGIN })).toBe(401);
    expect(await refusedStatus(`${base}/ws/console/short`, { origin: APP_ORIGIN })).toBe(401);
    expect(await refusedStatus(ticketUrl(ticket), { origin: 'http://evil.example' })).toBe(403);
    expect(await refusedStatus(ticketUrl(ticket), {})).toBe(403);
    // None of that used up the real ticket.
    const opened = await wsPipe(ticketUrl(ticket), { origin: APP_ORIGIN });
    expect((await opened.pipe.read(12)).toString('latin1')).toBe('RFB 003.008\n');
    opened.ws.close();
  });

  it('refuses an expired ticket and reports the expiry', async () => {
    const events: EventEnvelope[] = [];
    const unsubscribe = c.app.services.events.subscribe((e) => events.push(e));
    const shortLived = new ConsoleService({
      links: connectionHostLinks({
        connections: c.app.services.connections,
        home: c.app.home,
        env: {},
      }),
      events: c.app.services.events,
      logger: c.app.services.logger,
      ticketTtlMs: 300,
    });
    try {
      const result = await shortLived.open({
        connectionId,
        uuid: vnc.uuid,
        device: { kind: 'graphics', index: 0 },
      });
      const ticket = expectReady(result);
      const ended = await waitFor(
        () =>
          events.find(
            (e) => e.name === 'console:ended' && (e.payload as { id: string }).id === ticket.id,
          ),
        { what: 'console:ended for the expired ticket', timeoutMs: 10_000 },
      );
      expect(ended.payload).toMatchObject({ reason: 'expired' });
      // The same token on an endpoint serving this service's bridge.
      const { ConsoleServer } = await import('../../../electron/consoles/console-server');
      const server = await ConsoleServer.start({
        bridge: shortLived.bridge,
        allowedOrigins: [APP_ORIGIN],
      });
      try {
        expect(
          await refusedStatus(`${server.wsOrigin}${ticket.path}`, { origin: APP_ORIGIN }),
        ).toBe(401);
      } finally {
        await server.stop();
      }
    } finally {
      unsubscribe();
      shortLived.dispose();
    }
  });

  it('says "not running" for a shut-off VM and "no device" for a display it lacks', async () => {
    const uuid = randomUUID();
    const { domainDefineXml, domainUndefine } =
      await import('../../../electron/libvirt/facade/domain');
    const dom = await domainDefineXml(
      client,
      firmwareVncGuestXml({ name: `vd-con-off-${uuid.slice(0, 6)}`, uuid }),
    );
    try {
      const off = await c.app.ok<ConsoleOpenResult>('console:open', {
        connectionId,
        uuid,
        device: { kind: 'graphics', index: 0 },
      });
      expect(off).toMatchObject({ status: 'unavailable', problem: 'not-running' });
      const serialOff = await c.app.ok<ConsoleOpenResult>('console:open', {
        connectionId,
        uuid,
        device: { kind: 'serial' },
      });
      expect(serialOff).toMatchObject({ status: 'unavailable', problem: 'not-running' });
    } finally {
      await domainUndefine(client, dom);
    }
    const second = await c.app.ok<ConsoleOpenResult>('console:open', {
      connectionId,
      uuid: vnc.uuid,
      device: { kind: 'graphics', index: 1 },
    });
    expect(second).toMatchObject({ status: 'unavailable', problem: 'no-device' });
  });
});

describe('serial console through the bridge', () => {
  it('reads the tiny Linux boot and runs a command typed into it', async (ctx) => {
    if (!tiny) return ctx.skip(`tiny Linux guest cannot be built here: ${tinyUnavailable}`);
    const uuid = randomUUID();
    const guest = await runGuest(
      client,
      tinyLinuxGuestXml({ name: `vd-con-ser-${uuid.slice(0, 6)}`, uuid, ...tiny }),
    );
    removals.push(guest.remove);
    const info = await c.app.ok<{ serials: Array<{ alias: string; streamable: boolean }> }>(
      'console:info',
      { connectionId, uuid },
    );
    expect(info.serials).toEqual([expect.objectContaining({ alias: 'serial0', streamable: true })]);
    const ticket = expectReady(
      await c.app.ok<ConsoleOpenResult>('console:open', {
        connectionId,
        uuid,
        device: { kind: 'serial', alias: 'serial0' },
      }),
    );
    expect(ticket).toMatchObject({ kind: 'serial', route: 'libvirt-stream', label: 'serial0' });
    const opened = await wsPipe(ticketUrl(ticket), { origin: APP_ORIGIN });
    await opened.pipe.waitForText(new RegExp(`${TINY_LINUX_READY_MARKER}|virtdeck-tiny# `), 90_000);
    const word = `vd-${randomInt(1_000_000)}-ok`;
    opened.pipe.write(`echo ${word}\r`);
    await opened.pipe.waitForText(new RegExp(`\\n${word}\\r?\\n`), 30_000);

    // A second client is told the console is busy; taking it over ends ours with a reason.
    const busy = await c.app.ok<ConsoleOpenResult>('console:open', {
      connectionId,
      uuid,
      device: { kind: 'serial', alias: 'serial0' },
    });
    expect(busy).toMatchObject({ status: 'unavailable', problem: 'serial-busy' });
    const events: EventEnvelope[] = [];
    const unsubscribe = c.app.services.events.subscribe((e) => events.push(e));
    try {
      const forced = expectReady(
        await c.app.ok<ConsoleOpenResult>('console:open', {
          connectionId,
          uuid,
          device: { kind: 'serial', alias: 'serial0', force: true },
        }),
      );
      const closed = await opened.closed;
      expect(closed).toMatchObject({ code: 4002, reason: 'taken-over' });
      const ended = await waitFor(
        () =>
          events.find(
            (e) => e.name === 'console:ended' && (e.payload as { id: string }).id === ticket.id,
          ),
        { what: 'console:ended for the first serial session', timeoutMs: 10_000 },
      );
      expect(ended.payload).toMatchObject({ reason: 'taken-over' });
      c.app.services.consoles.service.close(forced.id);
    } finally {
      unsubscribe();
    }
  });

  it('tells the viewer the VM stopped when it is destroyed under an open console', async () => {
    const ticket = expectReady(await openVnc());
    const opened = await wsPipe(ticketUrl(ticket), { origin: APP_ORIGIN });
    await opened.pipe.read(12);
    const { domainDestroy, domainStart } = await import('../../../electron/libvirt/facade/domain');
    const dom = { name: '', uuid: vnc.uuid, id: -1 };
    await domainDestroy(client, dom);
    try {
      expect(await opened.closed).toMatchObject({ code: 4000, reason: 'vm-stopped' });
    } finally {
      await domainStart(client, dom);
      const info = await c.app.ok<{ graphics: Array<{ port: number | null }> }>('console:info', {
        connectionId,
        uuid: vnc.uuid,
      });
      vnc.port = info.graphics[0]?.port ?? 0;
    }
  });
});

describe('the web host’s console endpoint', () => {
  it('needs the page cookie, the page’s own Origin and the console token', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vd-con-web-'));
    await writeFile(
      path.join(dir, 'index.html'),
      `<meta http-equiv="Content-Security-Policy" content="default-src 'self'">`,
    );
    const auth = new WebAuth(randomBytes(32).toString('base64url'));
    const web = await WebHost.start({
      host: '127.0.0.1',
      port: 0,
      auth,
      assets: await RendererAssets.open(dir),
      registry: c.app.registry,
      events: c.app.services.events,
      logger: c.app.services.logger,
      consoles: c.app.services.consoles.service.bridge,
    });
    try {
      const ticket = expectReady(await openVnc());
      const url = `${web.origin.replace('http:', 'ws:')}${ticket.path}`;
      const cookie = `${TOKEN_COOKIE}=${auth.token}`;
      expect(await refusedStatus(url, { origin: web.origin })).toBe(401);
      expect(await refusedStatus(url, { origin: 'http://evil.example', cookie })).toBe(403);
      expect(await refusedStatus(url, { origin: APP_ORIGIN, cookie })).toBe(403);
      const wrong = `${web.origin.replace('http:', 'ws:')}/ws/console/${randomBytes(32).toString('base64url')}`;
      expect(await refusedStatus(wrong, { origin: web.origin, cookie })).toBe(401);
      const opened = await wsPipe(url, { origin: web.origin, cookie });
      expect(opened.protocol).toBe('binary');
      expect((await opened.pipe.read(12)).toString('latin1')).toBe('RFB 003.008\n');
      // Stopping the host ends its console sockets too.
      await web.stop(200);
      expect((await opened.closed).code).toBeGreaterThan(0);
    } finally {
      await web.stop(200).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
