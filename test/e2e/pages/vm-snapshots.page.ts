import type { Locator, Page } from 'playwright-core';
import type { VmWindowPage } from './vm-window.page';

/** What the user reads (English UI). Written out: these texts are part of what is tested. */
const texts = {
  tab: 'Snapshots',
  toolbar: 'Snapshot actions',
  take: 'Take snapshot…',
  revert: 'Revert…',
  delete: 'Delete…',
  createTitle: 'Take a snapshot',
  takeButton: 'Take snapshot',
  revertButton: 'Revert',
  deleteButton: 'Delete',
  name: 'Name',
  description: 'Description (optional)',
  notes: 'What this host allows',
  current: 'Current',
  saveToFile: 'Save memory to file…',
  restoreFromFile: 'Restore from file…',
  saveTitle: 'Save memory to a file',
  restoreTitle: 'Restore from a file',
  path: 'File on the host',
  saveButton: 'Save and stop',
  restoreButton: 'Restore',
  check: 'Check file',
  close: 'Close',
} as const;

/** The Snapshots tab of a VM window: its toolbar, the tree, the details pane and dialogs. */
export class VmSnapshotsPage {
  readonly page: Page;

  constructor(readonly window: VmWindowPage) {
    this.page = window.page;
  }

  /** Clicks the tab and waits until the tree (or its empty state) has been read. */
  async open(): Promise<void> {
    await this.window.tab(texts.tab).click();
    await this.tree.or(this.page.getByTestId('snapshots-empty')).first().waitFor({
      timeout: 30_000,
    });
  }

  get toolbar(): Locator {
    return this.page.getByRole('toolbar', { name: texts.toolbar });
  }

  button(
    name: keyof typeof texts & ('take' | 'revert' | 'delete' | 'saveToFile' | 'restoreFromFile'),
  ): Locator {
    return this.toolbar.getByRole('button', { name: texts[name], exact: true });
  }

  get tree(): Locator {
    return this.page.getByTestId('snapshot-tree');
  }

  get notes(): Locator {
    return this.page.getByRole('region', { name: texts.notes });
  }

  row(name: string): Locator {
    return this.tree.locator(`[data-snapshot="${name}"]`);
  }

  /** Snapshot names in tree order, each with its depth and whether it is current. */
  async rows(): Promise<Array<{ name: string; depth: number; current: boolean }>> {
    return this.tree.locator('[data-snapshot]').evaluateAll((els) =>
      els.map((el) => ({
        name: el.getAttribute('data-snapshot') ?? '',
        depth: Number(el.getAttribute('data-depth')),
        current: el.getAttribute('data-current') === 'true',
      })),
    );
  }

  get details(): Locator {
    return this.page.getByTestId('snapshot-details');
  }

  detail(field: string): Locator {
    return this.details.locator(`[data-field="${field}"]`);
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /**
   * Take snapshot… with the suggested name (returned) and an optional description; waits
   * until the new snapshot is in the tree as the current one.
   */
  async takeSnapshot(description?: string): Promise<string> {
    await this.button('take').click();
    const dialog = this.page.getByRole('dialog', { name: texts.createTitle });
    const nameField = dialog.getByRole('textbox', { name: texts.name, exact: true });
    // The dialog focuses the name field itself once it has opened: text typed elsewhere
    // before then would land in the name.
    await nameField.and(this.page.locator(':focus')).waitFor();
    await this.page.locator('.dialog-transition-enter-active').waitFor({ state: 'detached' });
    const name = await nameField.inputValue();
    if (description) {
      await dialog.getByRole('textbox', { name: texts.description }).fill(description);
      if ((await nameField.inputValue()) !== name) {
        throw new Error(
          `The description went into the name field: "${await nameField.inputValue()}"`,
        );
      }
    }
    await dialog.getByRole('button', { name: texts.takeButton, exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
    await this.waitForCurrent(name);
    return name;
  }

  /** Selects the snapshot, Revert…, confirms with the default "after"; waits until current. */
  async revertTo(name: string): Promise<void> {
    await this.row(name).click();
    await this.button('revert').click();
    const dialog = this.page.getByRole('dialog', { name: `Revert to “${name}”?` });
    await dialog.getByRole('button', { name: texts.revertButton, exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
    await this.waitForCurrent(name);
  }

  /** Waits until the tree marks `name` current; on timeout says what the tab showed instead. */
  async waitForCurrent(name: string): Promise<void> {
    try {
      await this.row(name).and(this.page.locator('[data-current="true"]')).waitFor();
    } catch (err) {
      const shown = await this.page.getByTestId('vm-snapshots').innerText();
      throw new Error(`${name} did not become current; the tab shows:\n${shown}`, { cause: err });
    }
  }

  /** Selects the snapshot, Delete…, confirms; waits until it has left the tree. */
  async deleteSnapshot(name: string): Promise<void> {
    await this.row(name).click();
    await this.button('delete').click();
    const dialog = this.page.getByRole('dialog', { name: `Delete “${name}”?` });
    await dialog.getByRole('button', { name: texts.deleteButton, exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
    await this.row(name).waitFor({ state: 'detached' });
  }

  /**
   * "Save memory to file…" into `path`; waits for the dialog's result and returns what it
   * shows of the file (path, size) before closing it.
   */
  async saveToFile(path: string): Promise<{ path: string; size: string }> {
    await this.button('saveToFile').click();
    const dialog = this.page.getByRole('dialog', { name: texts.saveTitle });
    await dialog.getByRole('textbox', { name: texts.path }).fill(path);
    await dialog.getByRole('button', { name: texts.saveButton, exact: true }).click();
    const info = dialog.getByTestId('saved-file-info');
    await info.or(dialog.getByTestId('file-dialog-error')).first().waitFor({ timeout: 60_000 });
    const shown = {
      path: (await info.locator('[data-field="path"]').innerText()).trim(),
      size: (await info.locator('[data-field="size"]').innerText()).trim(),
    };
    await dialog.getByRole('button', { name: texts.close, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    return shown;
  }

  /** "Restore from file…": Check file (returns the VM it names), then Restore. */
  async restoreFromFile(path: string): Promise<{ vm: string }> {
    await this.button('restoreFromFile').click();
    const dialog = this.page.getByRole('dialog', { name: texts.restoreTitle });
    await dialog.getByRole('textbox', { name: texts.path }).fill(path);
    await dialog.getByRole('button', { name: texts.check, exact: true }).click();
    const vm = dialog.getByTestId('saved-file-info').locator('[data-field="vm"]');
    await vm.waitFor({ timeout: 30_000 });
    const shown = { vm: (await vm.innerText()).trim() };
    await dialog.getByRole('button', { name: texts.restoreButton, exact: true }).click();
    await dialog.getByTestId('file-dialog-done').waitFor({ timeout: 60_000 });
    await dialog.getByRole('button', { name: texts.close, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    return shown;
  }
}
