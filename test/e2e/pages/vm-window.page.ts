import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { VmListPage } from './vm-list.page';

/** What the user reads (English UI). Written out: these texts are part of what is tested. */
const texts = {
  actions: 'VM actions',
  nav: 'Details pages',
  preview: 'Review the change',
  apply: 'Apply',
  pending: 'Pending until shutdown',
} as const;

/**
 * A VM's own window (`#/vm/<connection>/<uuid>`): its header, tabs, the Details list and
 * pages, and the preview dialog every Apply goes through.
 */
export class VmWindowPage {
  constructor(readonly page: Page) {}

  /** Double-clicks the VM's row and takes the browser window it opens. */
  static async openFromList(
    context: BrowserContext,
    vms: VmListPage,
    name: string,
  ): Promise<VmWindowPage> {
    const opening = context.waitForEvent('page');
    await vms.cell(name, 'name').dblclick();
    return VmWindowPage.ready(await opening, name);
  }

  /** "Open" from the row's context menu. */
  static async openFromMenu(
    context: BrowserContext,
    vms: VmListPage,
    name: string,
  ): Promise<VmWindowPage> {
    const opening = context.waitForEvent('page');
    await vms.runFromContextMenu(name, 'Open');
    return VmWindowPage.ready(await opening, name);
  }

  private static async ready(page: Page, name: string): Promise<VmWindowPage> {
    const window = new VmWindowPage(page);
    await window.heading.filter({ hasText: name }).waitFor({ timeout: 30_000 });
    return window;
  }

  get heading(): Locator {
    return this.page.getByTestId('vm-window-name');
  }

  get state(): Locator {
    return this.page.getByTestId('vm-window-state');
  }

  get actions(): Locator {
    return this.page.getByRole('toolbar', { name: texts.actions });
  }

  tab(name: string): Locator {
    return this.page.getByRole('tab', { name, exact: true });
  }

  get nav(): Locator {
    return this.page.getByRole('navigation', { name: texts.nav });
  }

  /** A general page (Overview, CPUs, …) or a device ("Disk vda") in the Details list. */
  async openPage(label: string): Promise<void> {
    await this.nav.getByText(label, { exact: true }).click();
  }

  field(label: string): Locator {
    return this.page.getByRole('spinbutton', { name: label, exact: true });
  }

  /** A page's Apply button (its test id names the section). */
  applyButton(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  get preview(): Locator {
    return this.page.getByRole('dialog', { name: texts.preview });
  }

  /** Apply in the preview dialog; waits until the dialog has gone (the edit was stored). */
  async confirmPreview(): Promise<void> {
    const button = this.preview.getByRole('button', { name: texts.apply, exact: true });
    // Playwright waits for the button to be enabled: the preview has arrived, not refused.
    await button.click({ timeout: 30_000 });
    await this.preview.waitFor({ state: 'hidden', timeout: 30_000 });
  }

  /** The "Pending until shutdown" chips for these parts (`vcpu.maximum`, …). */
  pendingChip(part: string): Locator {
    return this.page.locator(`[data-testid="pending-chip"][data-parts~="${part}"]`, {
      hasText: texts.pending,
    });
  }
}
