import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConnectionsPage } from '../pages/connections.page';
import { MainWindowPage } from '../pages/main-window.page';
import { launchBrowser, openWatchedPage } from '../support/browser';
import { startWebHost } from '../support/web-host-runner';
import type { RunningWebHost } from '../support/web-host-runner';

interface SavedFile {
  connections: Array<{ alias: string; uri: string; autoconnect: boolean }>;
}

/**
 * A new user's first session with the connections pane, on the real web host and Chromium,
 * against the harness's private libvirtd: first launch, adding a host through the dialog,
 * bad input, disconnect/connect, autoconnect after a restart, details, delete. The tests
 * run in order and share one config folder, as one user's sessions would.
 */
describe('connections (web host, Chromium, harness libvirtd)', () => {
  const daemon = inject('libvirtd');
  let configDir: string;
  let host: RunningWebHost;
  let browser: Browser;

  // First launch must find "this computer" without a system daemon: libvirt's own
  // LIBVIRT_DEFAULT_URI points it at the harness daemon's QEMU session driver.
  const start = () => startWebHost({ configDir, env: { LIBVIRT_DEFAULT_URI: daemon.qemuUri } });

  beforeAll(async () => {
    configDir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-e2e-connections-'));
    host = await start();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await rm(configDir, { recursive: true, force: true });
  });

  const savedText = () => readFile(path.join(configDir, 'connections.json'), 'utf8');
  const saved = async () => JSON.parse(await savedText()) as SavedFile;

  async function openApp(): Promise<{ page: Page; connections: ConnectionsPage }> {
    const { page } = await openWatchedPage(browser);
    await MainWindowPage.open(page, host.url);
    return { page, connections: new ConnectionsPage(page) };
  }

  it('first launch adds this computer and connects it', async () => {
    const { page, connections } = await openApp();
    await connections.waitForStatus('local', 'Connected');
    expect(await connections.aliases()).toEqual(['local']);
    expect(await connections.row('local').innerText()).toContain(daemon.qemuUri);
    // The notice says what was added and why.
    const notice = page.getByRole('region', { name: 'Connection notices' });
    expect(await notice.innerText()).toContain('This computer was added');
    expect(await connections.statusBarConnections.innerText()).toContain('1 of 1 connected');
    expect((await saved()).connections).toMatchObject([
      { alias: 'local', uri: daemon.qemuUri, autoconnect: true },
    ]);
  });

  it('adds a connection through the dialog and sees it connect', async () => {
    const { connections } = await openApp();
    await connections.addConnection({
      alias: 'harness-test',
      customUri: daemon.testUri,
      description: 'The harness test driver',
    });
    await connections.waitForStatus('harness-test', 'Connected');
    expect(await connections.aliases()).toEqual(['local', 'harness-test']);
    expect(await connections.statusBarConnections.innerText()).toContain('2 of 2 connected');

    const file = await savedText();
    expect(JSON.parse(file)).toMatchObject({
      connections: [
        { alias: 'local' },
        { alias: 'harness-test', uri: daemon.testUri, autoconnect: true },
      ],
    });
    expect(file).not.toMatch(/password|passphrase|secret/i);
  });

  it("shows the host's own message for bad input, keeps the dialog open and saves nothing", async () => {
    const { connections } = await openApp();
    await connections.waitForStatus('harness-test', 'Connected');
    const before = await savedText();
    const dialog = await connections.openAddDialog();

    // An alias with a space: the host's validation message, in the dialog.
    await connections.fillForm(dialog, { alias: 'my host', customUri: daemon.testUri });
    await connections.submitForm(dialog);
    const error = connections.formError(dialog);
    await error.waitFor();
    expect(await error.innerText()).toMatch(/alias may only contain letters, digits/i);

    // An alias another connection has.
    await connections.fillForm(dialog, { alias: 'harness-test' });
    await connections.submitForm(dialog);
    await error.filter({ hasText: 'already used' }).waitFor();
    expect(await error.innerText()).toContain('"harness-test" is already used');

    // A malformed URI, then an unknown transport: libvirt's parser says what is wrong.
    await connections.fillForm(dialog, { alias: 'broken', customUri: 'qemu+ssh://[::1/system' });
    await connections.submitForm(dialog);
    await error.filter({ hasText: 'unclosed' }).waitFor();
    expect(await error.innerText()).toContain("unclosed '[' in the host");

    await connections.fillForm(dialog, { alias: 'broken', customUri: 'qemu+foo:///system' });
    await connections.submitForm(dialog);
    await error.filter({ hasText: 'not recognised' }).waitFor();
    expect(await error.innerText()).toContain("transport 'foo'");

    // Still open, nothing saved, nothing listed.
    expect(await dialog.isVisible()).toBe(true);
    await connections.cancelForm(dialog);
    expect(await savedText()).toBe(before);
    expect(await connections.aliases()).toEqual(['local', 'harness-test']);
  });

  it('disconnects and connects again from the row and its context menu', async () => {
    const { connections } = await openApp();
    await connections.waitForStatus('harness-test', 'Connected');

    await connections.row('harness-test').hover();
    await connections.quickButton('harness-test', 'Disconnect').click();
    await connections.waitForStatus('harness-test', 'Disconnected');
    expect(await connections.statusBarConnections.innerText()).toContain('1 of 2 connected');

    await connections.runFromContextMenu('harness-test', 'Connect');
    await connections.waitForStatus('harness-test', 'Connected');
    expect(await connections.statusBarConnections.innerText()).toContain('2 of 2 connected');
  });

  it('works from the keyboard: the row menu, Enter on the row', async () => {
    const { page, connections } = await openApp();
    await connections.waitForStatus('harness-test', 'Connected');
    const row = connections.row('harness-test');
    await row.focus();
    await page.keyboard.press('Shift+F10');
    const menu = page.getByRole('menu', { name: 'Actions for harness-test' });
    await menu.waitFor();
    // Connect is disabled while connected, so focus lands on Disconnect.
    await menu.getByRole('menuitem', { name: 'Disconnect' }).and(page.locator(':focus')).waitFor();
    await page.keyboard.press('Enter');
    await connections.waitForStatus('harness-test', 'Disconnected');

    // Focus came back to the row; Enter connects a host that is down.
    await row.and(page.locator(':focus')).waitFor();
    await page.keyboard.press('Enter');
    await connections.waitForStatus('harness-test', 'Connected');
  });

  it('after a restart with the same config folder, every saved host autoconnects', async () => {
    await host.stop();
    host = await start();
    const { connections } = await openApp();
    expect(await connections.aliases()).toEqual(['local', 'harness-test']);
    await connections.waitForStatus('local', 'Connected');
    await connections.waitForStatus('harness-test', 'Connected');
  });

  it("shows the host's details and turns autoconnect off from there", async () => {
    const { connections } = await openApp();
    await connections.waitForStatus('harness-test', 'Connected');
    await connections.runFromMenuButton('harness-test', 'Details');
    const dialog = connections.detailsDialog('harness-test');
    await dialog.getByText('9.0.0', { exact: true }).waitFor();
    const text = await dialog.innerText();
    expect(text).toContain(daemon.testUri);
    expect(text).toMatch(/Memory\s+\d+(\.\d)? [KMGT]iB/);

    const toggle = dialog.getByLabel('Connect when VirtDeck starts');
    expect(await toggle.isChecked()).toBe(true);
    await toggle.click();
    await expect
      .poll(async () => (await saved()).connections.find((c) => c.alias === 'harness-test'))
      .toMatchObject({ autoconnect: false });
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('edits a connection: a new alias and colour show at once and are saved', async () => {
    const { connections } = await openApp();
    await connections.runFromMenuButton('harness-test', 'Edit');
    const dialog = connections.editDialog();
    await dialog.waitFor();
    // A URI the fields cannot express (a socket query) stays a custom URI.
    const uri = dialog.getByRole('textbox', { name: 'Custom URI', exact: true });
    expect(await uri.inputValue()).toBe(daemon.testUri);
    await dialog.getByRole('textbox', { name: 'Alias', exact: true }).fill('harness');
    await dialog.getByRole('radio', { name: 'Green' }).click();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    await connections.row('harness').waitFor();
    expect(await connections.aliases()).toEqual(['local', 'harness']);
    expect(
      await connections
        .row('harness')
        .locator('.connection-list-item__dot')
        .evaluate(
          (dot) => (dot as unknown as { style: { backgroundColor: string } }).style.backgroundColor,
        ),
    ).toBe('rgb(16, 185, 129)');
    expect((await saved()).connections[1]).toMatchObject({
      alias: 'harness',
      colour: '#10B981',
      uri: daemon.testUri,
      autoconnect: false,
    });
  });

  it('deletes a connection only after confirmation', async () => {
    const { page, connections } = await openApp();
    await connections.waitForStatus('harness', 'Connected');

    // Delete key on the focused row asks first; Cancel keeps everything.
    await connections.row('harness').focus();
    await page.keyboard.press('Delete');
    const confirm = connections.deleteDialog('harness');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain(daemon.testUri);
    await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    expect(await connections.aliases()).toEqual(['local', 'harness']);

    await connections.runFromContextMenu('harness', 'Delete');
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    await connections.row('harness').waitFor({ state: 'detached' });
    expect(await connections.aliases()).toEqual(['local']);
    expect((await saved()).connections.map((c) => c.alias)).toEqual(['local']);
  });
});
