import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { VmHarness } from '../pages/vm-harness.page';
import { openConnected } from '../pages/vm-session.page';
import { VmWindowPage } from '../pages/vm-window.page';
import { launchBrowser } from './browser';
import { startWebHost, type RunningWebHost } from './web-host-runner';

export interface VmWindowSuite {
  readonly daemon: ReturnType<typeof inject<'libvirtd'>>;
  readonly harness: VmHarness;
  /** Connects a new page to the harness host and opens `name`'s window from the list. */
  openVm(name: string): Promise<VmWindowPage>;
}

/**
 * The set-up every VM window spec repeats: the harness daemon's VMs defined by `prepare`, one
 * web host and one Chromium for the file, all torn down after it — so a spec holds only what
 * it does in the window.
 */
export function vmWindowSuite(
  prepare: (harness: VmHarness, daemon: ReturnType<typeof inject<'libvirtd'>>) => Promise<void>,
): VmWindowSuite {
  const daemon = inject('libvirtd');
  const harness = new VmHarness(daemon);
  let host: RunningWebHost;
  let browser: Browser;

  beforeAll(async () => {
    await prepare(harness, daemon);
    host = await startWebHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await harness.cleanUp();
  });

  return {
    daemon,
    harness,
    async openVm(name) {
      const { page, vms } = await openConnected(browser, host, daemon);
      await vms.search(name);
      await vms.waitForRow(name);
      return VmWindowPage.openFromList(page.context(), vms, name);
    },
  };
}
