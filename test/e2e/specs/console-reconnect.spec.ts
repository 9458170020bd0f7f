import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LibvirtClient } from '../../../electron/libvirt/client/libvirt-client';
import {
  domainDefineXml,
  domainDestroy,
  domainIsActive,
  domainStart,
  domainUndefine,
  type DomainRef,
} from '../../../electron/libvirt/facade/domain';
import { startLoopbackSshd, type LoopbackSshd } from '../../harness/loopback-sshd';
import { listDescendants, terminateProcess } from '../../harness/process-control';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import { socketQuery } from '../../integration/connections/unix-relay';
import { ConsolePage } from '../pages/console.page';
import { launchBrowser, openWatchedPage } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';
import '../../harness/provided';

/**
 * An open console when the host's link drops and comes back: the VM keeps running, the
 * window says it is waiting for the host, and the display returns without a click once the
 * connection manager has reconnected. The link is a real SSH session to a loopback sshd;
 * ending the server's per-connection processes cuts it as a network drop would.
 */
const libvirtd = inject('libvirtd');
const connectionId = randomUUID();
let scratch = '';
let sshd: LoopbackSshd;
let host: RunningWebHost;
let browser: Browser;
let client: LibvirtClient;
let guest: DomainRef | null = null;

beforeAll(async () => {
  client = await LibvirtClient.open(libvirtd.qemuUri);
  const uuid = randomUUID();
  guest = await domainDefineXml(
    client,
    firmwareVncGuestXml({ name: `e2e-recon-${uuid.slice(0, 6)}`, uuid }),
  );
  await domainStart(client, guest);
  sshd = await startLoopbackSshd();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-e2e-recon-'));
  const home = path.join(scratch, 'home');
  await mkdir(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
  await writeFile(path.join(home, '.ssh', 'known_hosts'), `${sshd.knownHostsLine}\n`);
  const configDir = path.join(scratch, 'config');
  await mkdir(configDir, { recursive: true });
  await writeFile(
    path.join(configDir, 'connections.json'),
    JSON.stringify({
      version: 1,
      connections: [
        {
          id: connectionId,
          alias: 'ssh-host',
          uri: `qemu+ssh://${sshd.user}@127.0.0.1:${sshd.port}/session?socket=${socketQuery(libvirtd.socketPath)}`,
          autoconnect: true,
          ssh: { useAgent: false, identityFile: sshd.clientKeyPath },
          origin: 'user',
        },
      ],
    }),
  );
  host = await startWebHost({ configDir, env: { HOME: home } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (guest) {
    if (await domainIsActive(client, guest).catch(() => false)) await domainDestroy(client, guest);
    await domainUndefine(client, guest).catch(() => undefined);
  }
  await client?.close();
  await sshd?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('console after the host link drops (web host, Chromium, loopback sshd)', () => {
  it('waits for the host, then shows the VNC display again by itself', async () => {
    const { page } = await openWatchedPage(browser);
    const view = await ConsolePage.open(page, host.url, connectionId, guest?.uuid ?? '');
    await view.waitConnected(60_000);
    await view.waitForPicture('vnc', 'the display before the drop', 60_000);

    // Cut the SSH session (the listener stays, so the app can log in again).
    const sessions = listDescendants(sshd.pid);
    expect(sessions.length).toBeGreaterThan(0);
    await Promise.all(sessions.reverse().map((pid) => terminateProcess(pid, 2_000)));

    // In between: the window says the host is gone and that it waits for it.
    const waiting = view.trouble('host-disconnected');
    await waiting.waitFor({ timeout: 30_000 });
    expect(await waiting.getByText('Waiting for the host…').count()).toBeGreaterThan(0);

    // Back without a click: the same VM's display, drawn again.
    await view.waitConnected(90_000);
    expect(
      await view.waitForPicture('vnc', 'the display after the reconnect', 60_000),
    ).toBeGreaterThan(500);
    // The VM ran on all along (the console did not restart it).
    expect(guest && (await domainIsActive(client, guest))).toBe(true);
  });
});
