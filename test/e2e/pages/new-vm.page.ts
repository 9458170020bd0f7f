import type { Locator, Page } from 'playwright-core';
import { VmWindowPage } from './vm-window.page';

/** What the user reads (English UI). Written out: these texts are part of what is tested. */
const texts = {
  button: 'New VM',
  next: 'Next',
  back: 'Back',
  create: 'Create',
  cancel: 'Cancel',
  customize: 'Customize before install',
} as const;

export type WizardStep = 'host' | 'method' | 'os' | 'resources' | 'storage' | 'finish' | 'summary';

/**
 * The New VM wizard as a user meets it: the toolbar button (or Ctrl+N), one step per page
 * with Next, problems shown on the step's fields, the summary with the XML, and Create.
 */
export class NewVmPage {
  private constructor(readonly page: Page) {}

  /** Opens the wizard from the toolbar, or with Ctrl+N as a keyboard user does. */
  static async open(page: Page, via: 'button' | 'keyboard' = 'button'): Promise<NewVmPage> {
    if (via === 'keyboard') {
      // The shortcut works wherever the focus is in the window; the VM list is where a user is.
      await page.getByRole('grid').first().focus();
      await page.keyboard.press('Control+n');
    } else {
      await page.getByRole('button', { name: texts.button, exact: true }).click();
    }
    const wizard = new NewVmPage(page);
    await wizard.dialog.waitFor({ timeout: 30_000 });
    await wizard.waitForStep('host');
    return wizard;
  }

  get dialog(): Locator {
    return this.page.getByTestId('new-vm-dialog');
  }

  async step(): Promise<WizardStep> {
    return (await this.dialog.getAttribute('data-step')) as WizardStep;
  }

  async waitForStep(step: WizardStep, timeout = 30_000): Promise<void> {
    await this.page.locator(`[data-testid="new-vm-dialog"][data-step="${step}"]`).waitFor({
      timeout,
    });
  }

  /** Next, then waits until the step changed or a problem is shown; returns the step then. */
  async next(timeout = 60_000): Promise<WizardStep> {
    const before = await this.step();
    const button = this.dialog.getByRole('button', { name: texts.next, exact: true });
    await button.click();
    await this.page
      .locator(`[data-testid="new-vm-dialog"]:not([data-step="${before}"])`)
      // An error on a field or the step (hints and warnings do not hold a step back).
      .or(this.dialog.locator('.v-input--error, .text-error, [data-testid="new-vm-problem"]'))
      .or(this.dialog.getByTestId('new-vm-error'))
      .first()
      .waitFor({ timeout });
    // The button is busy while the host checks: wait until that check has answered.
    // (The summary has no Next button: there it is simply gone.)
    await this.dialog
      .locator('[data-testid="new-vm-next"].v-btn--loading')
      .waitFor({ state: 'detached', timeout });
    return this.step();
  }

  /** Next must move to `step`; otherwise fails with what the wizard said. */
  async nextTo(step: WizardStep): Promise<void> {
    const now = await this.next();
    if (now !== step) {
      throw new Error(`Expected the ${step} step but stayed on ${now}: ${await this.said()}`);
    }
  }

  async back(step: WizardStep): Promise<void> {
    await this.dialog.getByRole('button', { name: texts.back, exact: true }).click();
    await this.waitForStep(step);
  }

  /** Every error or warning the dialog shows now (field messages and alerts). */
  async said(): Promise<string> {
    const texts = await this.dialog
      .locator('.v-input--error .v-messages__message, .v-alert, .text-error')
      .allInnerTexts();
    return texts.map((t) => t.trim()).join(' | ');
  }

  /** Picks `option` in the select labelled `label`. */
  async choose(label: string, option: string, scope: Locator = this.dialog): Promise<void> {
    // The combobox input of a Vuetify select is covered by its field: click the field.
    await scope
      .locator('.v-select')
      .filter({ has: this.page.getByRole('combobox', { name: label, exact: true }) })
      .locator('.v-field')
      .click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  field(label: string, scope: Locator = this.dialog): Locator {
    return scope.getByLabel(label, { exact: true });
  }

  radio(label: string, scope: Locator = this.dialog): Locator {
    return scope.getByRole('radio', { name: label, exact: true });
  }

  async chooseMethod(label: string): Promise<void> {
    await this.radio(label).check();
  }

  /** The install media as a file of this computer, uploaded into `pool`. */
  async uploadMedia(pool: string, file: string): Promise<void> {
    const media = this.dialog.getByTestId('new-vm-media');
    await this.radio('Upload from this computer', media).check();
    await this.choose('Pool', pool, media);
    await media
      .locator('[data-testid="new-vm-upload-file"] input[type="file"]')
      .setInputFiles(file);
  }

  /** A volume of `pool` in the file field with test id `testid`. */
  async chooseVolume(testid: string, pool: string, volume: string): Promise<void> {
    const scope = this.dialog.getByTestId(testid);
    await this.radio('Volume in a pool', scope).check();
    await this.choose('Pool', pool, scope);
    await this.choose('Volume', volume, scope);
  }

  async addSshKeyFile(file: string): Promise<void> {
    await this.dialog
      .locator('[data-testid="new-vm-ssh-key-file"] input[type="file"]')
      .setInputFiles(file);
  }

  /** The generated XML shown in the summary (CodeMirror's whole document). */
  async summaryXml(): Promise<string> {
    const content = this.dialog.locator(
      '[data-testid="new-vm-xml"][data-ready="true"] .cm-content',
    );
    await content.waitFor({ timeout: 30_000 });
    return content.evaluate((el) => {
      const tile = (el as unknown as { cmTile?: { root?: { view?: unknown } } }).cmTile;
      const view = tile?.root?.view as { state: { doc: { toString(): string } } } | undefined;
      if (!view) throw new Error('no CodeMirror view on .cm-content');
      return view.state.doc.toString();
    });
  }

  /**
   * Create (optionally customizing first); returns the VM's own window, which the wizard
   * opens on success (Console, or Details when customizing).
   */
  async create(name: string, options: { customize?: boolean } = {}): Promise<VmWindowPage> {
    if (options.customize) {
      await this.dialog.getByRole('checkbox', { name: texts.customize }).check();
    }
    const opening = this.page.context().waitForEvent('page', { timeout: 180_000 });
    await this.dialog.getByRole('button', { name: texts.create, exact: true }).click();
    const failed = this.dialog
      .getByTestId('new-vm-error')
      .waitFor({ timeout: 180_000 })
      .then(
        async () => {
          throw new Error(`Creating ${name} failed: ${await this.said()}`);
        },
        // No error shown (the window opened, or the page went): nothing to report from here.
        () => new Promise<never>(() => undefined),
      );
    const popup = await Promise.race([opening, failed]);
    const window = new VmWindowPage(popup);
    await window.heading.filter({ hasText: name }).waitFor({ timeout: 60_000 });
    await this.dialog.waitFor({ state: 'hidden', timeout: 30_000 });
    return window;
  }

  async cancel(): Promise<void> {
    await this.dialog.getByRole('button', { name: texts.cancel, exact: true }).click();
    await this.dialog.waitFor({ state: 'hidden' });
  }
}
