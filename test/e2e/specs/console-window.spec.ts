import { randomInt, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
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
import {
  ensureTinyLinux,
  firmwareVncGuestXml,
  TinyLinuxUnavailableError,
  tinyLinuxGuestXml,
} from '../../harness/test-guests';
import { runVirsh } from '../../harness/run-virsh';
import { waitFor } from '../../harness/wait-for';
import { launchBrowser, openWatchedPage } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';
import '../../harness/provided';

/**
 * The console window as a user meets it in Chromium through the web host: the detached
 * console page of a running VM (the address the main window opens for "Open console in a
 * new window"), a live VNC picture, Ctrl+Alt+Del from the Send keys menu, and a serial
 * console read and typed into.
 */
const libvirtd = inject('libvirtd');
const connectionId = randomUUID();
let configDir = '';
let host: RunningWebHost;
let browser: Browser;
let client: LibvirtClient;
const guests: DomainRef[] = [];
let vnc: { dom: DomainRef; serialLog: string };
let tiny: DomainRef | null = null;
let tinyUnavailable = '';

async function startDomain(xml: string): Promise<DomainRef> {
  const defined = await domainDefineXml(client, xml);
  guests.push(defined);
  for (let attempt = 1; ; attempt++) {
    try {
      return await domainStart(client, defined);
    } catch (err) {
      // Another daemon on this machine may take the same VNC port at the same moment.
      if (attempt >= 5 || !/Address already in use/.test((err as Error).message)) throw err;
    }
  }
}

beforeAll(async () => {
  client = await LibvirtClient.open(libvirtd.qemuUri);
  const uuid = randomUUID();
  const serialLog = path.join(libvirtd.dir, `e2e-console-${uuid.slice(0, 8)}.log`);
  // No automatic reboot: the firmware waits at "No bootable device", so a reboot is ours.
  const xml = firmwareVncGuestXml({
    name: `e2e-con-${uuid.slice(0, 6)}`,
    uuid,
    serialLogFile: serialLog,
  })
    .replace("rebootTimeout='3000'", "rebootTimeout='-1'")
    // A password in the XML: the console answers it without asking.
    .replace("<graphics type='vnc'", "<graphics type='vnc' passwd='e2e-pw-1'");
  vnc = { dom: await startDomain(xml), serialLog };
  try {
    const assets = await ensureTinyLinux();
    const tinyUuid = randomUUID();
    tiny = await startDomain(
      tinyLinuxGuestXml({ name: `e2e-tiny-${tinyUuid.slice(0, 6)}`, uuid: tinyUuid, ...assets }),
    );
  } catch (err) {
    if (!(err instanceof TinyLinuxUnavailableError)) throw err;
    tinyUnavailable = err.message;
  }
  configDir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-e2e-console-'));
  await writeFile(
    path.join(configDir, 'connections.json'),
    JSON.stringify({
      version: 1,
      connections: [
        {
          id: connectionId,
          alias: 'test-daemon',
          uri: libvirtd.qemuUri,
          autoconnect: true,
          ssh: { useAgent: false },
          origin: 'user',
        },
      ],
    }),
  );
  host = await startWebHost({ configDir });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  for (const dom of guests.reverse()) {
    if (await domainIsActive(client, dom).catch(() => false)) await domainDestroy(client, dom);
    await domainUndefine(client, dom).catch(() => undefined);
  }
  await client?.close();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

/** The console page of a VM, opened with the token the web host printed. */
async function openConsole(page: Page, uuid: string): Promise<void> {
  await page.goto(`${host.url}#/console/${connectionId}/${uuid}`);
  await page.getByRole('toolbar', { name: 'Console toolbar' }).waitFor({ timeout: 30_000 });
}

/** The parts of a 2D canvas the pixel check reads (this file is typed without the DOM). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  } | null;
}

/** Pixels of the VNC canvas that differ from its first pixel (0 for a blank screen). */
function canvasVariety(page: Page): Promise<number> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } })
      .document;
    const canvas = doc.querySelector('[data-testid="vnc-screen"] canvas') as CanvasLike | null;
    const context = canvas?.getContext('2d');
    if (!canvas || !context || canvas.width === 0) return 0;
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let differ = 0;
    for (let i = 4; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) differ++;
    }
    return differ;
  });
}

function seabiosBanners(): number {
  if (!existsSync(vnc.serialLog)) return 0;
  return (readFileSync(vnc.serialLog, 'latin1').match(/SeaBIOS \(version/g) ?? []).length;
}

describe('console window (web host, Chromium)', () => {
  it('shows the running VM’s VNC display and sends Ctrl+Alt+Del to it', async () => {
    const { page } = await openWatchedPage(browser);
    await openConsole(page, vnc.dom.uuid);
    await page.locator('.console-view[data-connected="true"]').waitFor({ timeout: 30_000 });
    // SeaBIOS has drawn its text: many pixels differ from the background.
    const variety = await waitFor(
      async () => {
        const n = await canvasVariety(page);
        return n > 500 ? n : undefined;
      },
      { what: 'a non-blank VNC framebuffer', timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(variety).toBeGreaterThan(500);

    // The firmware has printed once and now waits; Ctrl+Alt+Del makes it start over.
    await waitFor(() => (seabiosBanners() >= 1 ? true : undefined), {
      what: 'SeaBIOS on the serial log',
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    const before = seabiosBanners();
    await page.getByRole('button', { name: 'Send keys' }).click();
    await page.getByRole('menuitem', { name: 'Ctrl+Alt+Del' }).click();
    await waitFor(() => (seabiosBanners() > before ? true : undefined), {
      what: 'SeaBIOS to start again after Ctrl+Alt+Del',
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    // The display is still there and drawing after the reset.
    await waitFor(async () => ((await canvasVariety(page)) > 500 ? true : undefined), {
      what: 'the display after the reset',
      timeoutMs: 30_000,
      intervalMs: 250,
    });
  });

  it('reads the serial console and types a command into it', async (ctx) => {
    if (!tiny) return ctx.skip(`tiny Linux guest cannot be built here: ${tinyUnavailable}`);
    const { page } = await openWatchedPage(browser);
    await openConsole(page, tiny.uuid);
    const terminal = page.getByTestId('serial-terminal');
    await page.locator('.console-view[data-connected="true"]').waitFor({ timeout: 30_000 });
    await terminal.click();
    const rows = terminal.locator('.xterm-rows');
    // Enter brings the shell's prompt back (it may have printed before we attached).
    await waitFor(
      async () => {
        await page.keyboard.press('Enter');
        return /virtdeck-tiny# /.test(await rows.innerText()) ? true : undefined;
      },
      { what: 'the tiny Linux shell prompt', timeoutMs: 90_000, intervalMs: 1000 },
    );
    const word = `vd-e2e-${randomInt(1_000_000)}`;
    await page.keyboard.type(`echo ${word}`);
    await page.keyboard.press('Enter');
    await waitFor(
      async () => {
        const lines = (await rows.innerText()).split('\n').map((l) => l.trim());
        return lines.includes(word) ? true : undefined;
      },
      { what: `the guest to print ${word}`, timeoutMs: 30_000, intervalMs: 250 },
    );
  });

  it('asks for the password when the display refuses the one libvirt knows, then connects', async () => {
    // noVNC logs the refusal itself.
    const { page } = await openWatchedPage(browser, {
      expectedConsoleErrors: [/Security negotiation failed .*Authentication failed/],
    });
    // Change the password behind libvirt's back: the live XML now holds a wrong one.
    const changed = await runVirsh(libvirtd.qemuUri, [
      'qemu-monitor-command',
      vnc.dom.name,
      '--hmp',
      'set_password vnc e2e-pw-2',
    ]);
    expect(changed.code, changed.stderr).toBe(0);
    await openConsole(page, vnc.dom.uuid);
    await page.locator('[data-trouble="wrong-password"]').waitFor({ timeout: 30_000 });
    expect(await page.getByText('Wrong display password').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Enter the password…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Password').fill('e2e-pw-2');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await page.locator('.console-view[data-connected="true"]').waitFor({ timeout: 30_000 });
    await waitFor(async () => ((await canvasVariety(page)) > 500 ? true : undefined), {
      what: 'the display after typing the password',
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    // Back to the password libvirt knows, for the tests after this one.
    await runVirsh(libvirtd.qemuUri, [
      'qemu-monitor-command',
      vnc.dom.name,
      '--hmp',
      'set_password vnc e2e-pw-1',
    ]);
  });

  it('says the VM stopped when it is powered off, and starts it again from the console', async () => {
    const { page } = await openWatchedPage(browser);
    await openConsole(page, vnc.dom.uuid);
    await page.locator('.console-view[data-connected="true"]').waitFor({ timeout: 30_000 });
    await domainDestroy(client, vnc.dom);
    await page.locator('[data-trouble="vm-stopped"]').waitFor({ timeout: 30_000 });
    expect(await page.getByText('The VM stopped', { exact: true }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Start the VM' }).click();
    await page.locator('.console-view[data-connected="true"]').waitFor({ timeout: 60_000 });
    await waitFor(async () => ((await canvasVariety(page)) > 500 ? true : undefined), {
      what: 'the display of the restarted VM',
      timeoutMs: 30_000,
      intervalMs: 250,
    });
  });
});
