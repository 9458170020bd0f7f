import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import { repoRoot } from './web-host-runner';

/** Debian's Chromium: browsers cannot be downloaded here, and need not be. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      // Tests run as root in a container, where Chromium's own sandbox cannot start.
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors seen so far. */
  problems: string[];
}

export interface WatchOptions {
  /** Console errors the test expects (e.g. the 401 of a page opened without the token). */
  expectedConsoleErrors?: RegExp[];
}

/**
 * A fresh context and page for the current test. The test fails if the page throws or logs
 * a console error it did not expect, and a failed test leaves a screenshot in
 * test-results/e2e/. The context closes when the test ends.
 */
export async function openWatchedPage(
  browser: Browser,
  options: WatchOptions = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (options.expectedConsoleErrors?.some((pattern) => pattern.test(text))) return;
    problems.push(`console.error: ${text}`);
  });
  onTestFinished(async ({ task }) => {
    // One hook, in this order: the screenshot needs the context still open.
    if (task.result?.state === 'fail') await saveScreenshot(page, task.name);
    await context.close();
    if (problems.length > 0) {
      throw new Error(`The page reported problems:\n${problems.join('\n')}`);
    }
  });
  return { context, page, problems };
}

async function saveScreenshot(page: Page, testName: string): Promise<void> {
  const dir = path.join(repoRoot, 'test-results/e2e');
  await mkdir(dir, { recursive: true });
  const name = testName.replace(/[^\w.-]+/g, '_').slice(0, 120);
  const file = path.join(dir, `${name}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true });
    process.stderr.write(`Screenshot of the failed test: ${file}\n`);
  } catch (err) {
    process.stderr.write(`No screenshot for ${testName}: ${(err as Error).message}\n`);
  }
}
