import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {
  ConsoleOpenResult,
  ConsoleReplaceResult,
  ConsoleScreenshot,
  ConsoleTargetInfo,
  ConsoleViewerFile,
} from '../../../shared/contract/consoles';
import type { LibvirtClient } from '../../../electron/libvirt/client/libvirt-client';
import { domainDestroy, domainGetXml, domainStart } from '../../../electron/libvirt/facade/domain';
import { waitFor } from '../../harness/wait-for';
import { wsPipe, type BytePipe } from './byte-pipe';
import { decodePng, pngVariety } from './decode-png';
import {
  APP_ORIGIN,
  connectHost,
  expectReady,
  runGuest,
  startConsoleApp,
  ticketUrl,
  type ConsoleApp,
} from './console-fixture';
import '../../harness/provided';

/**
 * A SPICE guest on the harness daemon: one ticket carries several WebSockets (one per SPICE
 * channel, as spice-html5 opens them), each to its own connection; the .vv file; a
 * screenshot; and "Replace SPICE with VNC" on the persistent definition.
 */
const libvirtd = inject('libvirtd');
let c: ConsoleApp;
let connectionId = '';
let client: LibvirtClient;
let uuid = '';
const removals: Array<() => Promise<void>> = [];

function spiceGuestXml(name: string, id: string): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <uuid>${id}</uuid>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>
    <graphics type='spice' autoport='yes' passwd='s3cret'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
    <audio id='1' type='spice'/>
    <video><model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/></video>
    <redirdev bus='usb' type='spicevmc'/>
  </devices>
</domain>
`;
}

beforeAll(async () => {
  c = await startConsoleApp();
  connectionId = await connectHost(c.app, libvirtd.qemuUri);
  client = c.app.services.connections.client(connectionId) as LibvirtClient;
  uuid = randomUUID();
  const guest = await runGuest(client, spiceGuestXml(`vd-spice-${uuid.slice(0, 6)}`, uuid));
  removals.push(guest.remove);
});

afterAll(async () => {
  for (const remove of removals.reverse()) await remove().catch(() => undefined);
  await c?.stop();
});

/** SpiceLinkHeader + SpiceLinkMess for one channel, no capabilities. */
function linkMessage(channelType: number, channelId = 0): Buffer {
  const body = Buffer.alloc(18);
  body.writeUInt32LE(0, 0); // connection id: new session
  body[4] = channelType;
  body[5] = channelId;
  body.writeUInt32LE(0, 6);
  body.writeUInt32LE(0, 10);
  body.writeUInt32LE(18, 14); // caps offset
  const head = Buffer.alloc(16);
  head.write('REDQ', 0, 'latin1');
  head.writeUInt32LE(2, 4);
  head.writeUInt32LE(2, 8);
  head.writeUInt32LE(body.length, 12);
  return Buffer.concat([head, body]);
}

/** The server's SpiceLinkReply: magic, version, and its error code (0 = go on). */
async function linkReply(pipe: BytePipe): Promise<{ magic: string; major: number; error: number }> {
  const head = await pipe.read(16);
  const body = await pipe.read(head.readUInt32LE(12));
  return {
    magic: head.subarray(0, 4).toString('latin1'),
    major: head.readUInt32LE(4),
    error: body.readUInt32LE(0),
  };
}

describe('SPICE display', () => {
  it('reports the SPICE display and that it has a password', async () => {
    const info = await c.app.ok<ConsoleTargetInfo>('console:info', { connectionId, uuid });
    expect(info.graphics).toEqual([
      expect.objectContaining({
        type: 'spice',
        listen: '127.0.0.1',
        hasPassword: true,
        problem: null,
      }),
    ]);
  });

  it('lets one ticket carry a WebSocket per SPICE channel, each its own connection', async () => {
    const ticket = expectReady(
      await c.app.ok<ConsoleOpenResult>('console:open', {
        connectionId,
        uuid,
        device: { kind: 'graphics', index: 0 },
      }),
    );
    expect(ticket).toMatchObject({ kind: 'spice', maxConnections: 16, password: 's3cret' });
    const main = await wsPipe(ticketUrl(ticket), { origin: APP_ORIGIN });
    expect(main.protocol).toBe('binary');
    main.pipe.write(linkMessage(1));
    expect(await linkReply(main.pipe)).toEqual({ magic: 'REDQ', major: 2, error: 0 });
    // Display and inputs channels, while the main one stays open.
    const display = await wsPipe(ticketUrl(ticket), { origin: APP_ORIGIN });
    const inputs = await wsPipe(ticketUrl(ticket), { origin: APP_ORIGIN });
    display.pipe.write(linkMessage(2));
    inputs.pipe.write(linkMessage(3));
    expect((await linkReply(display.pipe)).magic).toBe('REDQ');
    expect((await linkReply(inputs.pipe)).magic).toBe('REDQ');
    expect(c.app.services.consoles.service.bridge.connectionCount(ticket.id)).toBe(3);
    for (const opened of [inputs, display, main]) opened.ws.close();
    await Promise.all([main.closed, display.closed, inputs.closed]);
  });

  it('writes a .vv file remote-viewer can use directly for a local display', async () => {
    const file = await c.app.ok<ConsoleViewerFile>('console:viewerFile', {
      connectionId,
      uuid,
      index: 0,
    });
    const info = await c.app.ok<ConsoleTargetInfo>('console:info', { connectionId, uuid });
    expect(file.forwardedPort).toBeNull();
    expect(file.fileName).toMatch(/^vd-spice-[0-9a-f]{6}\.vv$/);
    const lines = file.content.trim().split('\n');
    expect(lines[0]).toBe('[virt-viewer]');
    expect(lines).toEqual(
      expect.arrayContaining([
        'type=spice',
        'host=127.0.0.1',
        `port=${info.graphics[0]?.port}`,
        'password=s3cret',
        'delete-this-file=1',
      ]),
    );
  });

  it('takes a screenshot as a PNG that decodes to the drawn screen', async () => {
    // The firmware prints within seconds of the start; until then the picture is blank.
    const { shot, image } = await waitFor(
      async () => {
        const taken = await c.app.ok<ConsoleScreenshot>('console:screenshot', {
          connectionId,
          uuid,
        });
        const decoded = decodePng(Buffer.from(taken.dataBase64, 'base64'));
        return pngVariety(decoded) > 100 ? { shot: taken, image: decoded } : undefined;
      },
      { what: 'a screenshot that is not blank', timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(shot.mime).toBe('image/png');
    expect(image.width).toBeGreaterThanOrEqual(640);
    expect(image.height).toBeGreaterThanOrEqual(400);
    expect(shot.fileName).toMatch(/^vd-spice-[0-9a-f]{6}-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.png$/);
  });

  it('replaces SPICE with VNC in the saved definition; the VM shows VNC after a restart', async () => {
    const plan = await c.app.ok<ConsoleReplaceResult>('console:planSpiceToVnc', {
      connectionId,
      uuid,
    });
    expect(plan.appliesAtNextBoot).toBe(true);
    expect(plan.changes.map((change) => change.description)).toHaveLength(5);
    const graphicsChange = plan.changes.find((change) => change.before?.startsWith('<graphics'));
    expect(graphicsChange?.after).toMatch(/^<graphics type="vnc"|^<graphics type='vnc'/);
    // The password is never shown.
    expect(JSON.stringify(plan)).not.toContain('s3cret');

    const done = await c.app.ok<ConsoleReplaceResult>('console:replaceSpiceWithVnc', {
      connectionId,
      uuid,
    });
    expect(done.changes).toHaveLength(5);
    const dom = { name: '', uuid, id: -1 };
    const saved = await domainGetXml(client, dom, { inactive: true, secure: true });
    expect(saved).toMatch(/<graphics type=["']vnc["'][^>]*passwd=["']s3cret["']/);
    expect(saved).not.toMatch(/spicevmc|type=["']spice["']|type=["']qxl["']/);
    expect(saved).toMatch(/<model type=["']vga["']/);
    // Running as before until restarted.
    const live = await c.app.ok<ConsoleTargetInfo>('console:info', { connectionId, uuid });
    expect(live.graphics[0]?.type).toBe('spice');
    await domainDestroy(client, dom);
    await domainStart(client, dom);
    const after = await c.app.ok<ConsoleTargetInfo>('console:info', { connectionId, uuid });
    expect(after.graphics).toEqual([expect.objectContaining({ type: 'vnc', hasPassword: true })]);
    const ticket = expectReady(
      await c.app.ok<ConsoleOpenResult>('console:open', {
        connectionId,
        uuid,
        device: { kind: 'graphics', index: 0 },
      }),
    );
    expect(ticket).toMatchObject({ kind: 'vnc', password: 's3cret' });
    c.app.services.consoles.service.close(ticket.id);
    // Nothing left to replace.
    const again = await c.app.call('console:replaceSpiceWithVnc', { connectionId, uuid });
    expect(again).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });
});
