import { randomInt, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
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
  TINY_LINUX_READY_MARKER,
  TinyLinuxUnavailableError,
  tinyLinuxGuestXml,
} from '../../harness/test-guests';
import { waitFor } from '../../harness/wait-for';
import { decodePng } from '../../integration/consoles/decode-png';
import { ConsoleToolsPage } from '../pages/console-tools.page';
import { launchBrowser, openWatchedPage } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';
import '../../harness/provided';

/**
 * The console window's tools against a real guest, in Chromium through the web host: the
 * tiny Linux with its kernel console on VGA (shown over VNC) and its shell on the first
 * serial port, plus a second serial port and a virtio console to choose from.
 *
 * The guest has no shell on the VGA console by itself; the set-up starts one on tty1 from
 * the serial shell, so keys typed into the VNC display run commands whose answer goes to a
 * file the serial shell reads back (`echo $((6*7))… > /tmp/…`) — the arithmetic makes the
 * answer differ from the typed text, so only a command that really ran can produce it.
 */
const libvirtd = inject('libvirtd');
const connectionId = randomUUID();
let configDir = '';
let host: RunningWebHost | undefined;
let browser: Browser | undefined;
let client: LibvirtClient | undefined;
let guest: DomainRef | null = null;
let serialLog = '';
/** The serial shell, held open all along (see the set-up). */
let shellContext: BrowserContext | undefined;
let shell: ConsoleToolsPage;
let unavailable = '';

/** Labels of the guest's consoles in the device chooser (aliases libvirt gives them). */
const DISPLAY = 'Display 1 (VNC)';
const SERIAL0 = 'Serial console serial0';
const SERIAL1 = 'Serial console serial1';
const VIRTIO = 'Serial console console1';

/** A second 16550 port (ttyS1 in the guest) and a virtio console, besides serial0. */
const EXTRA_DEVICES = `    <serial type='pty'>
      <target port='1'/>
    </serial>
    <console type='pty'>
      <target type='virtio' port='1'/>
    </console>
  </devices>`;

function serialText(): string {
  return existsSync(serialLog) ? readFileSync(serialLog, 'latin1') : '';
}

/**
 * Waits for a command typed on the VGA console to have run: it wrote its answer to a file,
 * which the serial shell reads back. (Its output written straight to ttyS0 from tty1 proved
 * unreliable under TCG on a loaded machine; the serial shell's own output is not.)
 */
function waitForAnswer(file: string, answer: RegExp, what: string): Promise<true> {
  let asked = 0;
  return waitFor(
    async () => {
      if (answer.test(await shell.terminalText())) return true;
      if (Date.now() - asked > 3_000) {
        asked = Date.now();
        await shell.terminal.click();
        await shell.typeCommand(`cat ${file}`);
      }
      return undefined;
    },
    { what, timeoutMs: 90_000, intervalMs: 250 },
  );
}

function count(pattern: RegExp): number {
  return (serialText().match(new RegExp(pattern.source, 'g')) ?? []).length;
}

function word(): string {
  return `vd${randomInt(100_000, 1_000_000)}`;
}

/** A command for the tty1 shell whose answer (`42-<tag>`) lands in a file. */
function answerCommand(tag: string): { command: string; file: string; answer: RegExp } {
  const file = `/tmp/${tag}`;
  return {
    command: `echo $((6*7))-${tag} > ${file}`,
    file,
    answer: new RegExp(`^42-${tag}\\s*$`, 'm'),
  };
}

beforeAll(async () => {
  client = await LibvirtClient.open(libvirtd.qemuUri);
  let assets;
  try {
    assets = await ensureTinyLinux();
  } catch (err) {
    if (!(err instanceof TinyLinuxUnavailableError)) throw err;
    unavailable = err.message;
    return;
  }
  const uuid = randomUUID();
  serialLog = path.join(libvirtd.dir, `e2e-tools-${uuid.slice(0, 8)}.log`);
  const xml = tinyLinuxGuestXml({
    name: `e2e-tools-${uuid.slice(0, 6)}`,
    uuid,
    withVnc: true,
    serialLogFile: serialLog,
    ...assets,
  }).replace('  </devices>', EXTRA_DEVICES);
  guest = await domainDefineXml(client, xml);
  await domainStart(client, guest);
  configDir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-e2e-tools-'));
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
  await waitFor(() => (serialText().includes(TINY_LINUX_READY_MARKER) ? true : undefined), {
    what: 'the tiny Linux to boot',
    timeoutMs: 120_000,
    intervalMs: 250,
  });

  // Through the serial console, as a user would: a shell on the VGA console (tty1), and
  // tty2 opened once so the kernel lets Ctrl+Alt+F2 switch to it. This serial console
  // stays open for the tests, which read answers back through it.
  shellContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  shell = await ConsoleToolsPage.open(await shellContext.newPage(), host.url, connectionId, uuid);
  await shell.chooseDevice(SERIAL0);
  await shell.waitConnected();
  await shell.waitForShell();
  await shell.typeCommand(": > /dev/tty2; setsid sh -c 'exec sh -i </dev/tty1 >/dev/tty1 2>&1' &");
  await shell.typeCommand('echo tty1-shell-$((20+3))');
  await shell.waitForTerminal(/tty1-shell-23/, 'the serial shell to run the set-up');
}, 240_000);

afterAll(async () => {
  await shellContext?.close();
  await browser?.close();
  await host?.stop();
  if (guest && client) {
    if (await domainIsActive(client, guest).catch(() => false)) await domainDestroy(client, guest);
    await domainUndefine(client, guest).catch(() => undefined);
  }
  await client?.close();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

async function openDisplay(): Promise<ConsoleToolsPage> {
  if (!browser || !host || !guest) throw new Error('the set-up did not finish');
  const { page } = await openWatchedPage(browser);
  const view = await ConsoleToolsPage.open(page, host.url, connectionId, guest.uuid);
  await view.waitConnected(60_000);
  await view.waitForPicture('vnc', 'the kernel console on the VNC display', 60_000);
  return view;
}

// Generous: each test types into a TCG guest, on a machine shared with other test runs.
describe('console tools on a real guest (web host, Chromium)', { timeout: 240_000 }, () => {
  it('types text into the VM as key presses (the VGA shell runs it)', async (ctx) => {
    if (unavailable) return ctx.skip(`tiny Linux guest cannot be built here: ${unavailable}`);
    const view = await openDisplay();
    const { command, file, answer } = answerCommand(word());
    await view.typeIntoVm(`${command}\n`);
    await waitForAnswer(file, answer, 'the typed command’s output on the serial port');
  });

  it('sends an NMI that the guest kernel reports', async (ctx) => {
    if (unavailable) return ctx.skip(`tiny Linux guest cannot be built here: ${unavailable}`);
    const view = await openDisplay();
    const nmi = /NMI received for unknown reason/;
    const before = count(nmi);
    await view.sendKeys('Send NMI');
    await view.page.getByText('NMI sent to the VM').waitFor({ timeout: 30_000 });
    await waitFor(() => (count(nmi) > before ? true : undefined), {
      what: 'the kernel’s “NMI received” line on the serial port',
      timeoutMs: 30_000,
      intervalMs: 250,
    });
  });

  it('switches the guest’s virtual terminal with Ctrl+Alt+F2 and back with Ctrl+Alt+F1', async (ctx) => {
    if (unavailable) return ctx.skip(`tiny Linux guest cannot be built here: ${unavailable}`);
    const view = await openDisplay();
    await shell.terminal.click();
    /** The guest's foreground VT, as the kernel reports it. */
    const activeVt = async (): Promise<string> => {
      const tag = word();
      await shell.typeCommand(`echo ${tag}-$(cat /sys/class/tty/tty0/active)-end`);
      await shell.waitForTerminal(new RegExp(`${tag}-tty\\d+-end`), 'the active VT');
      return /-(tty\d+)-end/.exec(
        (await shell.terminalText())
          .split('\n')
          .filter((l) => l.startsWith(tag))
          .pop() ?? '',
      )?.[1] as string;
    };
    expect(await activeVt()).toBe('tty1');
    await view.sendKeys('Ctrl+Alt+F2');
    await waitFor(async () => ((await activeVt()) === 'tty2' ? true : undefined), {
      what: 'the guest on tty2',
      timeoutMs: 30_000,
      intervalMs: 500,
    });
    await view.sendKeys('Ctrl+Alt+F1');
    await waitFor(async () => ((await activeVt()) === 'tty1' ? true : undefined), {
      what: 'the guest back on tty1',
      timeoutMs: 30_000,
      intervalMs: 500,
    });
  });

  it('sends the keyboard to the VM only while “Keyboard to the VM” is on', async (ctx) => {
    if (unavailable) return ctx.skip(`tiny Linux guest cannot be built here: ${unavailable}`);
    const view = await openDisplay();
    const tag = word();
    expect(await view.grabButton.getAttribute('aria-pressed')).toBe('true');
    await view.grabButton.click();
    expect(await view.grabButton.getAttribute('aria-pressed')).toBe('false');
    // Off: the keys stay in the page. No Space or Enter, which would press the focused
    // toggle; had these letters reached the guest, they would spoil the command below.
    await view.canvas.click();
    await view.page.keyboard.type(`leaked${tag}`);
    await view.grabButton.click();
    expect(await view.grabButton.getAttribute('aria-pressed')).toBe('true');
    await view.canvas.click();
    // On: typed with the page's keyboard, as a user types. Had the earlier keys reached the
    // guest, they would stand in front of this line and change its output.
    const { command, file, answer } = answerCommand(`${tag}-on`);
    await view.typeWithShift(`${command}\n`);
    await waitForAnswer(file, answer, 'the command typed with the keyboard grabbed');
  });

  it('goes full screen with a toolbar that hides itself and comes back at the top edge', async (ctx) => {
    if (unavailable) return ctx.skip(`tiny Linux guest cannot be built here: ${unavailable}`);
    const view = await openDisplay();
    await view.toolbar.getByRole('button', { name: 'Full screen' }).click();
    await waitFor(
      async () =>
        (await view.fullscreenElementClass())?.includes('console-view') ? true : undefined,
      { what: 'the console in full screen', timeoutMs: 10_000, intervalMs: 100 },
    );
    // Left alone, the toolbar slides away; the pointer at the top edge brings it back.
    await view.page.mouse.move(640, 400);
    await waitFor(async () => ((await view.toolbarHidden()) ? true : undefined), {
      what: 'the toolbar to hide itself',
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    await view.page.mouse.move(640, 2);
    await waitFor(async () => ((await view.toolbarHidden()) ? undefined : true), {
      what: 'the toolbar back at the top edge',
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    // Keys still reach the guest in full screen.
    await view.canvas.click();
    const { command, file, answer } = answerCommand(`${word()}-fs`);
    await view.typeWithShift(`${command}\n`);
    await waitForAnswer(file, answer, 'a command typed in full screen');
    await view.page.mouse.move(640, 2);
    await view.toolbar.getByRole('button', { name: 'Leave full screen' }).click();
    await waitFor(async () => ((await view.fullscreenElementClass()) === null ? true : undefined), {
      what: 'full screen to end',
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    expect(await view.toolbarHidden()).toBe(false);
  });

  it('sends clipboard text to the display without upsetting its VNC stream', async (ctx) => {
    if (unavailable) return ctx.skip(`tiny Linux guest cannot be built here: ${unavailable}`);
    const view = await openDisplay();
    await view.toolbar.getByRole('button', { name: 'Clipboard…' }).click();
    const dialog = view.page.getByRole('dialog');
    // Nothing came from this guest (it runs no clipboard agent).
    expect(await dialog.getByText('Nothing has been copied in the VM yet.').isVisible()).toBe(true);
    await dialog
      .getByLabel("Text for the VM's clipboard")
      .fill(`clip ${'ü€'.repeat(40)} ${word()}`);
    await dialog.getByRole('button', { name: 'Send to the VM' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // QEMU read the ClientCutText message whole: the same connection carries keys after it.
    const { command, file, answer } = answerCommand(`${word()}-clip`);
    await view.typeIntoVm(`${command}\n`);
    await waitForAnswer(file, answer, 'a command typed after the clipboard text');
    expect(await view.page.locator('.console-view').getAttribute('data-connected')).toBe('true');
  });

  it('saves a screenshot of the display as a PNG of its size', async (ctx) => {
    if (unavailable) return ctx.skip(`tiny Linux guest cannot be built here: ${unavailable}`);
    const view = await openDisplay();
    const size = await view.canvas.evaluate((element) => {
      const canvas = element as unknown as { width: number; height: number };
      return { width: canvas.width, height: canvas.height };
    });
    const download = await view.screenshot();
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    const file = await download.path();
    const png = decodePng(await readFile(file));
    expect({ width: png.width, height: png.height }).toEqual(size);
    let differ = 0;
    for (let i = png.channels; i < png.pixels.length; i += png.channels) {
      if (png.pixels.compare(png.pixels, 0, 3, i, i + 3) !== 0) differ++;
    }
    // The kernel's boot text covers much of the screen.
    expect(differ).toBeGreaterThan(500);
    await view.page.getByText(/Screenshot saved as/).waitFor({ timeout: 10_000 });
  });

  // Last: it takes the first serial port over from the shell held since the set-up.
  it('chooses among the serial ports and a virtio console, taking a busy one over', async (ctx) => {
    if (unavailable) return ctx.skip(`tiny Linux guest cannot be built here: ${unavailable}`);
    if (!browser || !host || !guest) throw new Error('the set-up did not finish');
    const { page } = await openWatchedPage(browser);
    const view = await ConsoleToolsPage.open(page, host.url, connectionId, guest.uuid);
    await view.waitConnected(60_000);
    expect(await view.deviceLabels()).toEqual([DISPLAY, SERIAL0, SERIAL1, VIRTIO]);
    const tag = word();
    // Output on ttyS1 only, every half second, for a while.
    await shell.terminal.click();
    await shell.typeCommand(
      `(for i in $(seq 120); do echo ${tag}-$((40+2)); sleep 0.5; done) > /dev/ttyS1 &`,
    );
    await view.chooseDevice(SERIAL1);
    await view.waitConnected();
    await view.waitForTerminal(new RegExp(`${tag}-42`), 'the second serial port’s output');
    // The first port is held by the set-up's console: taken over only when asked.
    await view.chooseDevice(SERIAL0);
    await view.trouble('serial-busy').waitFor({ timeout: 30_000 });
    await view.page.getByRole('button', { name: 'Take over the console' }).click();
    await view.waitConnected();
    await shell.trouble('taken-over').waitFor({ timeout: 30_000 });
    // The shell, without the second port's lines.
    await view.waitForShell();
    expect(await view.terminalText()).not.toContain(`${tag}-42`);
    // The virtio console opens through libvirt too (this guest's kernel has no driver
    // for it, so it stays silent).
    await view.chooseDevice(VIRTIO);
    await view.waitConnected();
    expect(await view.terminalText()).not.toContain(`${tag}-42`);
  });
});
