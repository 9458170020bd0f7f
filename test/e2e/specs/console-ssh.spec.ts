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
import { firmwareVncGuestXml } from '../../harness/test-guests';
import { waitFor } from '../../harness/wait-for';
import { socketQuery } from '../../integration/connections/unix-relay';
import { ConsolePage } from '../pages/console.page';
import { launchBrowser, openWatchedPage } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';
import '../../harness/provided';

/**
 * The console of a VM on a host reached over SSH, as the user meets it in Chromium: a real
 * OpenSSH server on loopback in front of the harness daemon, a saved key-auth connection,
 * and the console page showing the VM's VNC display. The display travels in a channel of
 * the session that carries libvirt: sshd sees no second login and no remote command (so
 * no `nc` on the host is needed).
 */
const libvirtd = inject('libvirtd');
const connectionId = randomUUID();
let scratch = '';
let sshd: LoopbackSshd;
let host: RunningWebHost;
let browser: Browser;
let client: LibvirtClient;
let guest: DomainRef | null = null;

/** sshd's own count of logins and remote commands (its LogLevel is VERBOSE). */
function sshdActivity(): { logins: number; commands: number } {
  const log = sshd.logTail(100_000);
  return {
    logins: (log.match(/Accepted publickey/g) ?? []).length,
    commands: (log.match(/Starting session: command/g) ?? []).length,
  };
}

beforeAll(async () => {
  client = await LibvirtClient.open(libvirtd.qemuUri);
  const uuid = randomUUID();
  const defined = await domainDefineXml(
    client,
    firmwareVncGuestXml({ name: `e2e-sshcon-${uuid.slice(0, 6)}`, uuid }),
  );
  guest = defined;
  await domainStart(client, defined);
  sshd = await startLoopbackSshd();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-e2e-sshcon-'));
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

describe('console over SSH (web host, Chromium, loopback sshd)', () => {
  it('shows the VNC display through the host’s one SSH session, without a remote command', async () => {
    const { page } = await openWatchedPage(browser);
    const view = await ConsolePage.open(page, host.url, connectionId, guest?.uuid ?? '');
    // The connection logs in once (autoconnect); opening the console must add nothing.
    const before = await waitFor(
      () => {
        const seen = sshdActivity();
        return seen.logins > 0 ? seen : undefined;
      },
      { what: 'the connection’s SSH login', timeoutMs: 30_000, intervalMs: 200 },
    );
    await view.waitConnected();
    const variety = await view.waitForPicture('vnc');
    expect(variety).toBeGreaterThan(500);
    expect(sshdActivity()).toEqual(before);
  });
});
