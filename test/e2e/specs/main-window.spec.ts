import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MainWindowPage } from '../pages/main-window.page';
import { launchBrowser, openWatchedPage } from '../support/browser';
import { startWebHost } from '../support/web-host-runner';
import type { RunningWebHost } from '../support/web-host-runner';

describe('main window (web host, Chromium)', () => {
  let host: RunningWebHost;
  let browser: Browser;

  beforeAll(async () => {
    host = await startWebHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  const savedPreferences = async () =>
    JSON.parse(await readFile(path.join(host.configDir, 'preferences.json'), 'utf8')) as {
      preferences: { theme: string; locale: string | null };
    };

  it('opens with the token and shows toolbar, connections panel and status bar', async () => {
    const { page } = await openWatchedPage(browser);
    const window = await MainWindowPage.open(page, host.url);
    // The token traded for the cookie is gone from the address bar.
    expect(page.url()).toBe(`${host.origin}/`);
    expect(await page.title()).toBe('VirtDeck');
    expect(await window.toolbar.getByRole('heading', { name: 'VirtDeck' }).isVisible()).toBe(true);
  });

  it('switches to 简体中文 and back to English', async () => {
    const { page } = await openWatchedPage(browser);
    const window = await MainWindowPage.open(page, host.url);
    await window.chooseLanguage('zh-CN');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    // First launch may already have added this computer, so check the pane's own button.
    expect(
      await window.connectionsPanel
        .getByRole('button', { name: '添加连接', exact: true })
        .first()
        .isVisible(),
    ).toBe(true);
    expect((await savedPreferences()).preferences.locale).toBe('zh-CN');

    // A reload keeps the choice: it was saved by the host, not only shown.
    await page.reload();
    await window.waitUntilShown();

    await window.chooseLanguage('en');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(
      await window.connectionsPanel
        .getByRole('button', { name: 'Add connection', exact: true })
        .first()
        .isVisible(),
    ).toBe(true);
    expect((await savedPreferences()).preferences.locale).toBe('en');
  });

  it('switches the theme dark ↔ light', async () => {
    const { page } = await openWatchedPage(browser);
    const window = await MainWindowPage.open(page, host.url);
    await window.chooseTheme('dark');
    expect(await window.checkedTheme()).toBe('Dark');
    expect((await savedPreferences()).preferences.theme).toBe('dark');
    // Dark means a dark background, not only a class name.
    const background = await window.backgroundColor();
    expect(luminance(background)).toBeLessThan(0.2);

    await window.chooseTheme('light');
    expect(await window.checkedTheme()).toBe('Light');
    expect(await window.appRoot.getAttribute('class')).not.toContain('v-theme--dark');
    const light = await window.backgroundColor();
    expect(luminance(light)).toBeGreaterThan(0.8);
    expect((await savedPreferences()).preferences.theme).toBe('light');
  });

  it('a change in one window reaches another (pushed event)', async () => {
    const first = await MainWindowPage.open((await openWatchedPage(browser)).page, host.url);
    const second = await MainWindowPage.open((await openWatchedPage(browser)).page, host.url);
    await first.chooseTheme('dark');
    await second.waitForTheme('dark');
    await first.chooseTheme('light');
    await second.waitForTheme('light');
  });

  it('without the token gets 401 and shows nothing of the app', async () => {
    const { page } = await openWatchedPage(browser, {
      expectedConsoleErrors: [/status of 401/],
    });
    const response = await page.goto(`${host.origin}/`);
    expect(response?.status()).toBe(401);
    expect(await page.locator('body').innerText()).toContain('Unauthorized');
    expect(await page.locator('#app, .v-application, script').count()).toBe(0);
    const wrong = await page.goto(`${host.origin}/?token=not-the-token-0123456789`);
    expect(wrong?.status()).toBe(401);
    expect(await page.context().cookies()).toEqual([]);
  });
});

/** Relative luminance (0 black … 1 white) of a CSS rgb()/rgba() colour. */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/\d+(\.\d+)?/g) ?? []).map(Number) as [number, number, number];
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}
