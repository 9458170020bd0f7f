import { randomInt, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {
  ConsoleOpenResult,
  ConsoleTargetInfo,
  ConsoleViewerFile,
} from '../../../shared/contract/consoles';
import { LibvirtClient } from '../../../electron/libvirt/client/libvirt-client';
import { domainResume } from '../../../electron/libvirt/facade/domain';
import { findExecutable } from '../../harness/find-executable';
import { startLoopbackSshd, type LoopbackSshd } from '../../harness/loopback-sshd';
import {
  ensureTinyLinux,
  firmwareVncGuestXml,
  TINY_LINUX_READY_MARKER,
  TinyLinuxUnavailableError,
  tinyLinuxGuestXml,
  type TinyLinuxAssets,
} from '../../harness/test-guests';
import { socketQuery } from '../connections/unix-relay';
import { tcpPipe, wsPipe } from './byte-pipe';
import {
  APP_ORIGIN,
  connectHost,
  expectReady,
  runGuest,
  startConsoleApp,
  ticketUrl,
  type ConsoleApp,
} from './console-fixture';
import { DRAWN_PIXELS, pauseOnDrawnScreen } from './paused-screen';
import { distinctPixels, rfbProbe } from './rfb-probe';
import '../../harness/provided';

/**
 * Consoles of a host reached over SSH (a real OpenSSH server on loopback in front of the
 * harness daemon): the display through a direct-tcpip channel on the session that carries
 * libvirt — no remote command, no second login — and through `nc` on the host when the
 * server refuses forwarding; the serial console through libvirt's stream either way.
 */
const libvirtd = inject('libvirtd');
const apps: ConsoleApp[] = [];
const servers: LoopbackSshd[] = [];
const removals: Array<() => Promise<void>> = [];
let tiny: TinyLinuxAssets | null = null;
let tinyUnavailable = '';

beforeAll(async () => {
  try {
    tiny = await ensureTinyLinux();
  } catch (err) {
    if (!(err instanceof TinyLinuxUnavailableError)) throw err;
    tinyUnavailable = err.message;
  }
});

afterAll(async () => {
  for (const remove of removals.reverse()) await remove().catch(() => undefined);
  for (const app of apps) await app.stop();
  for (const sshd of servers) await sshd.stop();
});

interface SshHost {
  app: ConsoleApp;
  sshd: LoopbackSshd;
  connectionId: string;
  client: LibvirtClient;
}

async function sshHost(
  forwarding: boolean,
  options: { env?: Record<string, string> } = {},
): Promise<SshHost> {
  const sshd = await startLoopbackSshd({
    allowTcpForwarding: forwarding,
    allowStreamLocalForwarding: forwarding,
    ...(options.env ? { setEnv: options.env } : {}),
  });
  servers.push(sshd);
  const app = await startConsoleApp();
  apps.push(app);
  const known = path.join(app.app.home, '.ssh', 'known_hosts');
  await mkdir(path.dirname(known), { recursive: true, mode: 0o700 });
  await writeFile(known, `${sshd.knownHostsLine}\n`);
  const connectionId = await connectHost(
    app.app,
    `qemu+ssh://${sshd.user}@127.0.0.1:${sshd.port}/session?socket=${socketQuery(libvirtd.socketPath)}`,
    { ssh: { useAgent: false, identityFile: sshd.clientKeyPath } },
  );
  const client = app.app.services.connections.client(connectionId) as LibvirtClient;
  return { app, sshd, connectionId, client };
}

/** A .vv file as remote-viewer reads it: one [virt-viewer] section of key=value lines. */
function parseViewerFile(content: string): Record<string, string> {
  const lines = content.split(/\r?\n/).filter((line) => line.trim() !== '');
  expect(lines[0]).toBe('[virt-viewer]');
  const entries: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const eq = line.indexOf('=');
    expect(eq, line).toBeGreaterThan(0);
    entries[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return entries;
}

/** sshd's own count of logins and remote commands (LogLevel VERBOSE). */
function sshdActivity(sshd: LoopbackSshd): { logins: number; commands: number } {
  const log = sshd.logTail(100_000);
  return {
    logins: (log.match(/Accepted publickey/g) ?? []).length,
    commands: (log.match(/Starting session: command/g) ?? []).length,
  };
}

async function vncGuest(host: SshHost): Promise<{ uuid: string; port: number }> {
  const uuid = randomUUID();
  const guest = await runGuest(
    host.client,
    firmwareVncGuestXml({ name: `vd-ssh-vnc-${uuid.slice(0, 6)}`, uuid }),
  );
  removals.push(guest.remove);
  const info = await host.app.app.ok<ConsoleTargetInfo>('console:info', {
    connectionId: host.connectionId,
    uuid,
  });
  expect(info.hostTransport).toBe('ssh');
  return { uuid, port: info.graphics[0]?.port ?? 0 };
}

/** Bridge and direct TCP must see the same handshake and screen of the paused guest. */
async function compareWithDirect(
  host: SshHost,
  uuid: string,
  port: number,
  route: string,
): Promise<void> {
  const dom = { name: '', uuid, id: -1 };
  const reference = await pauseOnDrawnScreen(host.client, dom, port);
  try {
    const result = await host.app.app.ok<ConsoleOpenResult>('console:open', {
      connectionId: host.connectionId,
      uuid,
      device: { kind: 'graphics', index: 0 },
    });
    const ticket = expectReady(result);
    expect(ticket.route).toBe(route);
    expect(ticket.label).toMatch(/via SSH$/);
    const opened = await wsPipe(ticketUrl(ticket), { origin: APP_ORIGIN });
    const bridged = await rfbProbe(opened.pipe);
    opened.ws.close();
    expect(bridged.serverInit.equals(reference.serverInit)).toBe(true);
    expect(bridged.update.equals(reference.update)).toBe(true);
    expect(distinctPixels(bridged)).toBeGreaterThan(DRAWN_PIXELS);
    await opened.closed;
  } finally {
    await domainResume(host.client, dom);
  }
}

describe('consoles over SSH', () => {
  it('carries the display through the host’s one SSH session (direct-tcpip, no nc)', async () => {
    const host = await sshHost(true);
    const { uuid, port } = await vncGuest(host);
    const before = sshdActivity(host.sshd);
    expect(before.logins).toBeGreaterThan(0);
    await compareWithDirect(host, uuid, port, 'ssh-forward');
    // Same session: no new login; a channel, not a remote command (nc is never run).
    expect(sshdActivity(host.sshd)).toEqual(before);

    // remote-viewer gets a local port we forward over the same session.
    const file = await host.app.app.ok<ConsoleViewerFile>('console:viewerFile', {
      connectionId: host.connectionId,
      uuid,
      index: 0,
    });
    expect(file.forwardedPort).toBeGreaterThan(0);
    // Read the file as remote-viewer does, and follow it to the display.
    const vv = parseViewerFile(file.content);
    expect(vv).toMatchObject({
      type: 'vnc',
      host: '127.0.0.1',
      port: String(file.forwardedPort),
      'delete-this-file': '1',
    });
    const viewer = await tcpPipe(Number(vv.port), vv.host);
    const seen = await rfbProbe(viewer);
    viewer.close();
    expect(distinctPixels(seen)).toBeGreaterThan(DRAWN_PIXELS);
    expect(sshdActivity(host.sshd)).toEqual(before);
  });

  it('opens the serial console through libvirt’s stream over SSH', async (ctx) => {
    if (!tiny) return ctx.skip(`tiny Linux guest cannot be built here: ${tinyUnavailable}`);
    const ssh = await sshHost(true);
    const uuid = randomUUID();
    const guest = await runGuest(
      ssh.client,
      tinyLinuxGuestXml({ name: `vd-ssh-ser-${uuid.slice(0, 6)}`, uuid, ...tiny }),
    );
    removals.push(guest.remove);
    const before = sshdActivity(ssh.sshd);
    const ticket = expectReady(
      await ssh.app.app.ok<ConsoleOpenResult>('console:open', {
        connectionId: ssh.connectionId,
        uuid,
        device: { kind: 'serial' },
      }),
    );
    expect(ticket.route).toBe('libvirt-stream');
    const opened = await wsPipe(ticketUrl(ticket), { origin: APP_ORIGIN });
    await opened.pipe.waitForText(new RegExp(`${TINY_LINUX_READY_MARKER}|virtdeck-tiny# `), 90_000);
    const word = `vd-${randomInt(1_000_000)}-ssh`;
    opened.pipe.write(`echo ${word}\r`);
    await opened.pipe.waitForText(new RegExp(`\\n${word}\\r?\\n`), 30_000);
    opened.ws.close();
    expect(sshdActivity(ssh.sshd)).toEqual(before);
  });

  it('falls back to nc on the host when the SSH server refuses forwarding', async () => {
    const host = await sshHost(false);
    const { uuid, port } = await vncGuest(host);
    const before = sshdActivity(host.sshd);
    await compareWithDirect(host, uuid, port, 'ssh-nc');
    const after = sshdActivity(host.sshd);
    // Still no second login; the display went through one remote command (nc).
    expect(after.logins).toBe(before.logins);
    expect(after.commands).toBeGreaterThan(before.commands);
  });

  it('says forwarding is refused and nc is missing when the host has no nc either', async () => {
    // Sessions of this sshd find only `sh` and `nc` on their PATH. With forwarding refused
    // the libvirt link itself runs `nc -U` (a real host would use virt-ssh-helper); once it
    // is up, nc goes away, so the display's fallback finds none.
    const bin = path.join(await mkdtemp(path.join(os.tmpdir(), 'vd-only-sh-')), 'bin');
    await mkdir(bin, { mode: 0o755 });
    await symlink('/bin/sh', path.join(bin, 'sh'));
    await symlink(findExecutable('nc', 'install netcat-openbsd'), path.join(bin, 'nc'));
    removals.push(() => rm(path.dirname(bin), { recursive: true, force: true }));
    const host = await sshHost(false, { env: { PATH: bin } });
    const { uuid } = await vncGuest(host);
    await unlink(path.join(bin, 'nc'));
    const before = sshdActivity(host.sshd);
    const result = await host.app.app.ok<ConsoleOpenResult>('console:open', {
      connectionId: host.connectionId,
      uuid,
      device: { kind: 'graphics', index: 0 },
    });
    expect(result).toMatchObject({ status: 'unavailable', problem: 'forwarding-refused' });
    expect(result.status === 'unavailable' && result.message).toMatch(
      /refuses port forwarding, and nc \(the fallback\) is not installed there/,
    );
    // It tried: one remote command on the same session, no second login.
    const after = sshdActivity(host.sshd);
    expect(after.logins).toBe(before.logins);
    expect(after.commands).toBe(before.commands + 1);
  });

  it('ends an open console with "host disconnected" when the SSH link drops', async () => {
    const host = await sshHost(true);
    const uuid = randomUUID();
    const xml = firmwareVncGuestXml({ name: `vd-ssh-drop-${uuid.slice(0, 6)}`, uuid });
    // Defined through a link of our own: the host's link is about to die.
    const local = await LibvirtClient.open(libvirtd.qemuUri);
    const guest = await runGuest(local, xml);
    try {
      const ticket = expectReady(
        await host.app.app.ok<ConsoleOpenResult>('console:open', {
          connectionId: host.connectionId,
          uuid,
          device: { kind: 'graphics', index: 0 },
        }),
      );
      const opened = await wsPipe(ticketUrl(ticket), { origin: APP_ORIGIN });
      expect((await opened.pipe.read(12)).toString('latin1')).toBe('RFB 003.008\n');
      await host.sshd.stop();
      expect(await opened.closed).toMatchObject({ code: 4001, reason: 'host-disconnected' });
    } finally {
      await guest.remove();
      await local.close();
    }
  });
});
