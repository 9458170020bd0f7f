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
import { ConsolePage } from '../pages/console.page';
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
let spice: DomainRef;
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
  const spiceUuid = randomUUID();
  spice = await startDomain(spiceGuestXml(`e2e-spice-${spiceUuid.slice(0, 6)}`, spiceUuid));
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

/** Firmware only, on a QXL card shown over SPICE (with a password, as libvirt passes it). */
function spiceGuestXml(name: string, uuid: string): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <uuid>${uuid}</uuid>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <graphics type='spice' autoport='yes' passwd='e2e-spice'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
    <video><model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/></video>
  </devices>
</domain>
`;
}

/** The console page of a VM, opened with the token the web host printed. */
async function openConsole(page: Page, uuid: string): Promise<void> {
  await ConsolePage.open(page, host.url, connectionId, uuid);
}

/** Pixels of a display's canvas that differ from its first pixel (0 for a blank screen). */
function canvasVariety(page: Page, kind: 'vnc' | 'spice' = 'vnc'): Promise<number> {
  return new ConsolePage(page).variety(kind);
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

  it('scales the display to the window from the Scaling menu, and back to 1:1', async () => {
    const { page } = await openWatchedPage(browser);
    const view = await ConsolePage.open(page, host.url, connectionId, vnc.dom.uuid);
    await view.waitConnected();
    await view.waitForPicture('vnc');
    /** The canvas' drawn size on the page against its framebuffer size. */
    const sizes = () =>
      page.locator('[data-testid="vnc-screen"] canvas').evaluate((element) => {
        const canvas = element as unknown as { width: number; clientWidth: number };
        return { framebuffer: canvas.width, shown: canvas.clientWidth };
      });
    // The firmware's 720-pixel text screen in a 1280-pixel window: "Always" scales it up.
    await page.getByRole('button', { name: 'Shrink to fit' }).click();
    await page.getByRole('menuitem', { name: 'Always scale' }).click();
    await waitFor(
      async () => {
        const { framebuffer, shown } = await sizes();
        return shown > framebuffer ? true : undefined;
      },
      { what: 'the display scaled up', timeoutMs: 10_000, intervalMs: 100 },
    );
    await page.getByRole('button', { name: 'Always scale' }).click();
    await page.getByRole('menuitem', { name: 'No scaling' }).click();
    await waitFor(
      async () => {
        const { framebuffer, shown } = await sizes();
        return shown === framebuffer ? true : undefined;
      },
      { what: 'the display at 1:1', timeoutMs: 10_000, intervalMs: 100 },
    );
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

describe('SPICE console (web host, Chromium)', () => {
  it('shows the SPICE display through the bridge, with what it cannot do said', async () => {
    const { page } = await openWatchedPage(browser);
    await openConsole(page, spice.uuid);
    await page.locator('.console-view[data-connected="true"]').waitFor({ timeout: 60_000 });
    expect(await page.getByText(/need an external viewer/).isVisible()).toBe(true);
    // spice-html5 draws the primary surface on a canvas of its own inside our screen element.
    const variety = await waitFor(
      async () => {
        const n = await canvasVariety(page, 'spice');
        return n > 500 ? n : undefined;
      },
      { what: 'a non-blank SPICE display', timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(variety).toBeGreaterThan(500);
    // The external viewer and VNC replacement sit in the SPICE menu.
    await page.getByRole('button', { name: 'SPICE options' }).click();
    await page.getByRole('menuitem', { name: 'Open in external viewer' }).waitFor();
    await page.getByRole('menuitem', { name: 'Replace SPICE with VNC…' }).waitFor();
  });

  it('replaces SPICE with VNC from the console; the restarted VM shows VNC', async () => {
    const { page } = await openWatchedPage(browser);
    await openConsole(page, spice.uuid);
    await page.locator('.console-view[data-connected="true"]').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'SPICE options' }).click();
    await page.getByRole('menuitem', { name: 'Replace SPICE with VNC…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/These changes are made to/).waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Replace' }).click();
    await dialog.getByText(/definition was changed/).waitFor({ timeout: 30_000 });
    expect(await dialog.getByText(/takes effect the next time it starts/).isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    // Power-cycle: the console finds the VNC display it now has.
    await domainDestroy(client, spice);
    await page.locator('[data-trouble="vm-stopped"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Start the VM' }).click();
    await page.locator('.console-view[data-connected="true"]').waitFor({ timeout: 60_000 });
    await waitFor(async () => ((await canvasVariety(page)) > 500 ? true : undefined), {
      what: 'the VNC display that replaced SPICE',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
  });
});

describe('a VM with nothing to show (web host, Chromium)', () => {
  it('offers to add a VNC display, then starts the VM and shows it', async () => {
    const uuid = randomUUID();
    // No graphics and no serial port; SeaBIOS waits at "No bootable device" once started.
    const bare = await domainDefineXml(
      client,
      `<domain type='qemu'>
  <name>e2e-bare-${uuid.slice(0, 6)}</name>
  <uuid>${uuid}</uuid>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><bios rebootTimeout='-1'/></os>
  <devices/>
</domain>
`,
    );
    guests.push(bare);
    const { page } = await openWatchedPage(browser);
    const view = await ConsolePage.open(page, host.url, connectionId, uuid);
    await view.trouble('no-device').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Add a VNC display' }).click();
    // Added to the shut-off VM's definition: the console now offers to start it.
    await view.trouble('not-running').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Start the VM' }).click();
    await view.waitConnected(60_000);
    expect(await view.waitForPicture('vnc', 'the added display', 60_000)).toBeGreaterThan(500);
  });
});

describe('detached console (web host, Chromium)', () => {
  it('opens the VM window’s console in a popup of its own that connects by itself', async () => {
    const { page } = await openWatchedPage(browser);
    await page.goto(`${host.url}#/vm/${connectionId}/${vnc.dom.uuid}/console`);
    const embedded = new ConsolePage(page);
    await embedded.toolbar.waitFor({ timeout: 30_000 });
    await embedded.waitConnected();
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Open in a new window' }).click(),
    ]);
    await popup.waitForLoadState();
    expect(new URL(popup.url()).hash).toBe(`#/console/${connectionId}/${vnc.dom.uuid}`);
    const detached = new ConsolePage(popup);
    await detached.toolbar.waitFor({ timeout: 30_000 });
    // Already in its own window: no second "open in a new window".
    expect(await popup.getByRole('button', { name: 'Open in a new window' }).count()).toBe(0);
    await detached.waitConnected();
    expect(await detached.waitForPicture('vnc', 'the detached display')).toBeGreaterThan(500);
    // Both consoles at once: the embedded one is still live.
    expect(await embedded.variety('vnc')).toBeGreaterThan(500);
    // Closing the popup remembers its place for the next time (the browser does not).
    await popup.close({ runBeforeUnload: true });
    const key = `virtdeck.consoleWindow.${connectionId}/${vnc.dom.uuid}`;
    const place = await waitFor(
      () =>
        page.evaluate(
          (k) =>
            (
              globalThis as unknown as { localStorage: { getItem(k: string): string | null } }
            ).localStorage.getItem(k) ?? undefined,
          key,
        ),
      { what: 'the popup’s remembered place', timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(JSON.parse(place)).toMatchObject({
      width: expect.any(Number),
      height: expect.any(Number),
    });
  });
});
