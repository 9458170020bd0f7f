import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLoopbackSshd, type LoopbackSshd } from '../../harness/loopback-sshd';
import { socketQuery, startUnixRelay } from '../../integration/connections/unix-relay';
import { ConnectionsPage } from '../pages/connections.page';
import { MainWindowPage } from '../pages/main-window.page';
import { launchBrowser, openWatchedPage } from '../support/browser';
import { startWebHost, type RunningWebHost } from '../support/web-host-runner';

const isRoot = process.getuid?.() === 0;

/**
 * SSH questions as the user meets them: a real OpenSSH server on loopback in front of the
 * harness daemon, the web host with its own HOME (so known_hosts is a scratch file, never
 * the machine's), and the prompt modal in Chromium. The tests run in order.
 */
describe('connection prompts (web host, Chromium, loopback sshd)', () => {
  const daemon = inject('libvirtd');
  let sshd: LoopbackSshd;
  let relay: Awaited<ReturnType<typeof startUnixRelay>>;
  let scratch: string;
  let home: string;
  let host: RunningWebHost;
  let browser: Browser;

  beforeAll(async () => {
    sshd = await startLoopbackSshd({ passwordUser: true });
    relay = await startUnixRelay(daemon.socketPath);
    scratch = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-e2e-prompts-'));
    home = path.join(scratch, 'home');
    host = await startWebHost({
      configDir: path.join(scratch, 'config'),
      // First launch adds the harness test driver as "local": no system daemon is needed.
      env: { HOME: home, LIBVIRT_DEFAULT_URI: daemon.testUri },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await relay?.stop();
    await sshd?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const knownHostsFile = () => path.join(home, '.ssh', 'known_hosts');

  async function openApp(): Promise<ConnectionsPage> {
    const { page } = await openWatchedPage(browser);
    await MainWindowPage.open(page, host.url);
    return new ConnectionsPage(page);
  }

  it('shows an unknown host key with its SHA256 fingerprint; Refuse records nothing', async () => {
    const connections = await openApp();
    await connections.addConnection({
      alias: 'ssh-key',
      customUri: `qemu+ssh://${sshd.user}@127.0.0.1:${sshd.port}/session?socket=${socketQuery(daemon.socketPath)}`,
      ssh: { identityFile: sshd.clientKeyPath, useAgent: false },
    });

    const prompt = connections.hostKeyPrompt('ssh-key');
    await prompt.waitFor();
    await connections.waitForStatus('ssh-key', 'Waiting for you to sign in');
    const fingerprint = prompt.getByTestId('host-key-fingerprint');
    expect((await fingerprint.innerText()).trim()).toBe(sshd.hostKeyFingerprintSha256);
    // Shown in a monospace face, so look-alike characters can be told apart.
    const font = await fingerprint.evaluate((element) => {
      // This tsconfig has no DOM library; the function runs in the page, which has one.
      const view = (element as { ownerDocument: { defaultView: unknown } }).ownerDocument
        .defaultView as { getComputedStyle(e: unknown): { fontFamily: string } };
      return view.getComputedStyle(element).fontFamily;
    });
    expect(font).toMatch(/mono/i);
    const text = await prompt.innerText();
    expect(text).toContain(`127.0.0.1:${sshd.port}`);
    expect(text).toContain(sshd.hostKeyType);
    expect(text).toMatch(/Expires in \d+:\d\d/);

    await prompt.getByRole('button', { name: 'Refuse', exact: true }).click();
    await prompt.waitFor({ state: 'hidden' });
    await connections.waitForStatus('ssh-key', 'Failed');
    expect(await connections.problem('ssh-key').innerText()).toContain('was not accepted');
    expect(existsSync(knownHostsFile())).toBe(false);
  });

  it('accepting the key connects and adds it to known_hosts in OpenSSH format', async () => {
    const connections = await openApp();
    await connections.waitForStatus('ssh-key', 'Failed');
    await connections.row('ssh-key').hover();
    await connections.quickButton('ssh-key', 'Connect').click();

    const prompt = connections.hostKeyPrompt('ssh-key');
    await prompt.waitFor();
    await prompt.getByRole('button', { name: 'Accept and connect', exact: true }).click();
    await prompt.waitFor({ state: 'hidden' });
    await connections.waitForStatus('ssh-key', 'Connected');
    expect(await readFile(knownHostsFile(), 'utf8')).toBe(`${sshd.knownHostsLine}\n`);
  });

  it.skipIf(!isRoot)(
    'asks for a password in a masked field, again after a wrong one, and connects (needs root for a throwaway user)',
    async () => {
      const user = sshd.passwordUser;
      if (!user) throw new Error(`No password user: ${sshd.passwordUserSkipped ?? 'unknown'}`);
      const connections = await openApp();
      await connections.addConnection({
        alias: 'ssh-password',
        customUri: `test+ssh://${user.name}@127.0.0.1:${sshd.port}/default?socket=${socketQuery(relay.path)}`,
        ssh: { useAgent: false },
      });

      const prompt = connections.passwordPrompt('ssh-password');
      await prompt.waitFor();
      const field = prompt.getByLabel('Password', { exact: true });
      expect(await field.getAttribute('type')).toBe('password');
      // The web host has no OS keyring, so it offers no "Remember" it could not keep.
      expect(await prompt.getByLabel(/^Remember/).count()).toBe(0);

      await field.fill('certainly-not-the-password');
      await prompt.getByRole('button', { name: 'OK', exact: true }).click();
      await prompt.getByText('(try again)').waitFor();
      expect(await field.inputValue()).toBe('');

      await field.fill(user.password);
      await prompt.getByRole('button', { name: 'OK', exact: true }).click();
      await prompt.waitFor({ state: 'hidden' });
      await connections.waitForStatus('ssh-password', 'Connected');

      const saved = await readFile(path.join(host.configDir, 'connections.json'), 'utf8');
      expect(saved).not.toContain(user.password);
    },
  );
});
