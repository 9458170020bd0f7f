import type { Locator, Page } from 'playwright-core';
import { VmListPage } from './vm-list.page';

/** The Migrate dialog, opened from a VM row's context menu, found by role and test ids. */
export class VmMigratePage {
  constructor(
    readonly page: Page,
    readonly vms: VmListPage = new VmListPage(page),
  ) {}

  dialog(vm: string): Locator {
    return this.page.getByRole('dialog', { name: `Migrate ${vm}` });
  }

  async open(vm: string): Promise<Locator> {
    await this.vms.runFromContextMenu(vm, 'Migrate…');
    const dialog = this.dialog(vm);
    await dialog.waitFor();
    return dialog;
  }

  /** Picks `option` in the select labelled `label` (the field covers its combobox). */
  async choose(dialog: Locator, label: string, option: string | RegExp): Promise<void> {
    await dialog
      .locator('.v-select')
      .filter({ has: this.page.getByRole('combobox', { name: label, exact: true }) })
      .locator('.v-field')
      .click();
    await this.page.getByRole('option', { name: option }).click();
  }

  blockers(dialog: Locator): Locator {
    return dialog.getByTestId('migrate-blocker');
  }

  startButton(dialog: Locator): Locator {
    return dialog.getByTestId('migrate-start');
  }

  /** Waits until the pre-flight check answered with no blocker (Start enabled). */
  async waitReady(dialog: Locator, timeout = 30_000): Promise<void> {
    await dialog.locator('[data-testid="migrate-start"]:not([disabled])').waitFor({ timeout });
  }

  async setUndefineSource(dialog: Locator, on: boolean): Promise<void> {
    const box = dialog.getByRole('checkbox', { name: 'Remove the definition from the source' });
    if ((await box.isChecked()) !== on) await box.click();
  }
}
