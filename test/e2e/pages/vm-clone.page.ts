import type { Locator } from 'playwright-core';
import type { VmListPage } from './vm-list.page';

/** What the user reads (English UI). Written out: these texts are part of what is tested. */
const texts = {
  clone: 'Clone…',
  title: (name: string) => `Clone ${name}`,
  name: 'Name of the clone',
  start: 'Clone',
} as const;

/** The Clone dialog, opened from the VM list's context menu. */
export class VmClonePage {
  constructor(
    readonly vms: VmListPage,
    readonly source: string,
  ) {}

  get dialog(): Locator {
    return this.vms.dialog(texts.title(this.source));
  }

  get nameField(): Locator {
    return this.dialog.getByRole('textbox', { name: texts.name });
  }

  /** Right click on the VM's row, then Clone…; waits until the plan is shown. */
  async open(): Promise<void> {
    await this.vms.runFromContextMenu(this.source, texts.clone);
    await this.dialog.waitFor();
    await this.dialog.locator('[data-testid="clone-name"]').waitFor();
  }

  diskRow(target: string): Locator {
    return this.dialog.locator(`[data-testid="clone-disk"][data-target="${target}"]`);
  }

  /** The "Pool X: the copies need …, … free" line of a pool. */
  poolSpace(pool: string): Locator {
    return this.dialog.locator(`[data-testid="clone-pool-space"][data-pool="${pool}"]`);
  }

  async suggestedName(): Promise<string> {
    return this.nameField.inputValue();
  }

  /** Clone, then wait for the dialog to close (it closes only when the clone succeeded). */
  async start(timeout = 120_000): Promise<void> {
    await this.dialog.getByRole('button', { name: texts.start, exact: true }).click();
    await this.dialog.waitFor({ state: 'hidden', timeout });
  }
}
