import type { Locator, Page } from 'playwright-core';

/** What the user reads (English UI). Written out: these texts are part of what is tested. */
const texts = {
  list: 'Virtual machines on all connected hosts',
  search: 'Search VMs',
  actions: 'Actions for the selected VMs',
  more: 'More actions',
  contextMenu: 'Actions',
  filter: 'Filter',
  groupByHost: 'Group by host',
  columns: 'Columns',
  statusBar: 'Status',
} as const;

/** The lifecycle words a row's state cell shows. */
export type VmStateText =
  'Running' | 'Paused' | 'Shut off' | 'Saved' | 'Crashed' | 'Shutting down' | 'Suspended';

/**
 * The VM list: its toolbar, rows, context menu and the dialogs its actions open. Rows are
 * found by their stable `data-vm-name`; buttons and menus by role and accessible name.
 */
export class VmListPage {
  constructor(readonly page: Page) {}

  get list(): Locator {
    return this.page.getByRole('grid', { name: texts.list });
  }

  get searchField(): Locator {
    return this.page.getByRole('textbox', { name: texts.search });
  }

  get toolbar(): Locator {
    return this.page.getByRole('toolbar', { name: texts.actions });
  }

  row(name: string): Locator {
    return this.list.locator(`[data-testid="vm-row"][data-vm-name="${name}"]`);
  }

  /**
   * Names of the VM rows the list shows now, top to bottom (rendered ones: the list is
   * virtual and recycles row elements, so DOM order is not screen order — aria-rowindex is).
   */
  async names(): Promise<string[]> {
    const rows = await this.list.locator('[data-testid="vm-row"]').evaluateAll((elements) =>
      elements.map((row) => ({
        name: row.getAttribute('data-vm-name') ?? '',
        index: Number(row.getAttribute('aria-rowindex')),
      })),
    );
    return rows.sort((a, b) => a.index - b.index).map((row) => row.name);
  }

  cell(name: string, column: string): Locator {
    return this.row(name).locator(`[data-col="${column}"]`);
  }

  async stateText(name: string): Promise<string> {
    return (await this.cell(name, 'state').innerText()).trim();
  }

  async waitForRow(name: string, timeout = 10_000): Promise<Locator> {
    await this.row(name).waitFor({ timeout });
    return this.row(name);
  }

  /** Waits until the row's state cell reads `state` (and nothing is pending on it). */
  async waitForState(name: string, state: VmStateText, timeout = 30_000): Promise<void> {
    const row = this.row(name);
    await this.list
      .locator(`[data-vm-name="${name}"]:not([data-pending])`)
      .locator('[data-col="state"]', { hasText: new RegExp(`^\\s*${state}\\s*$`) })
      .waitFor({ timeout })
      .catch(async (error: unknown) => {
        const seen = (await row.count()) > 0 ? await this.stateText(name) : '(no row)';
        throw new Error(
          `${name}: waited for "${state}", the row says "${seen}"\n${(error as Error).message}`,
        );
      });
  }

  /** Ctrl+F, then the text — as someone looking for a VM types it. */
  async search(text: string): Promise<void> {
    // Ctrl+F works wherever the focus is in the window; start from the list.
    await this.list.focus();
    await this.page.keyboard.press('Control+f');
    await this.searchField.waitFor();
    await this.searchField.fill(text);
  }

  async select(name: string): Promise<void> {
    await this.cell(name, 'name').click();
  }

  /** Ctrl+click on each, after a plain click on the first. */
  async selectMany(names: readonly string[]): Promise<void> {
    for (const [i, name] of names.entries()) {
      await this.cell(name, 'name').click({ modifiers: i === 0 ? [] : ['Control'] });
    }
  }

  toolbarButton(label: string): Locator {
    return this.toolbar.getByRole('button', { name: label, exact: true });
  }

  /** An action from the toolbar's "More actions" menu. */
  async runFromMoreMenu(label: string): Promise<void> {
    await this.toolbarButton(texts.more).click();
    const menu = this.page.getByRole('menu', { name: texts.more });
    await menu.getByRole('menuitem', { name: label, exact: true }).click();
  }

  /** Right click on the row, then the action. */
  async runFromContextMenu(name: string, label: string): Promise<void> {
    await this.cell(name, 'name').click({ button: 'right' });
    const menu = this.page.getByRole('menu', { name: texts.contextMenu });
    await menu.waitFor();
    await menu.getByRole('menuitem', { name: label, exact: true }).click();
  }

  dialog(name: string | RegExp): Locator {
    return this.page.getByRole('dialog', { name });
  }

  /** Answers a confirmation ("Force web01 off?") with its action button. */
  async confirm(title: string | RegExp, button: string): Promise<void> {
    const dialog = this.dialog(title);
    await dialog.waitFor();
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  /** Points drawn by the row's CPU sparkline. */
  async cpuSparkPoints(name: string): Promise<number> {
    const value = await this.cell(name, 'cpu').locator('canvas').getAttribute('data-points');
    return Number(value ?? 0);
  }

  async cpuText(name: string): Promise<string> {
    return (await this.cell(name, 'cpu').innerText()).trim();
  }

  async openFilterMenu(): Promise<Locator> {
    await this.page.getByRole('button', { name: texts.filter, exact: true }).click();
    const menu = this.page.getByRole('menu', { name: texts.filter });
    await menu.waitFor();
    return menu;
  }

  get statusVms(): Locator {
    return this.page.getByRole('contentinfo', { name: texts.statusBar }).getByTestId('status-vms');
  }

  get details(): Locator {
    return this.page.getByTestId('vm-details');
  }
}
