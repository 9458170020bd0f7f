import type { Locator, Page } from 'playwright-core';
import type { VmWindowPage } from './vm-window.page';

/** What the user reads (English UI). Written out: these texts are part of what is tested. */
const texts = {
  addHardware: 'Add Hardware',
  dialog: 'Add new virtual hardware',
  finish: 'Finish',
  eject: 'Eject',
  apply: 'Apply',
} as const;

/**
 * The hardware side of a VM window: the Add Hardware dialog, device pages (CD-ROM media,
 * NIC, disk), and the XML tab's CodeMirror editor.
 */
export class VmHardwarePage {
  readonly page: Page;

  constructor(readonly window: VmWindowPage) {
    this.page = window.page;
  }

  get addDialog(): Locator {
    return this.page.getByRole('dialog', { name: texts.dialog });
  }

  async openAddHardware(): Promise<void> {
    await this.window.nav.getByRole('button', { name: texts.addHardware }).click();
    await this.addDialog.waitFor();
  }

  /** A type of the list (`storage`, `network`, …), by its test id. */
  async chooseType(type: string): Promise<void> {
    await this.addDialog.getByTestId(`add-hardware-type-${type}`).click();
  }

  /** Picks `option` in the select labelled `label` inside `scope`. */
  async choose(scope: Locator, label: string, option: string): Promise<void> {
    // The combobox input of a Vuetify select is covered by its field: click the field.
    await scope
      .locator('.v-select')
      .filter({ has: this.page.getByRole('combobox', { name: label, exact: true }) })
      .locator('.v-field')
      .click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  field(scope: Locator, label: string): Locator {
    return scope.getByLabel(label, { exact: true });
  }

  /** Finish, then the preview dialog's Apply; waits until both dialogs are gone. */
  async finishAndApply(): Promise<string> {
    await this.addDialog.getByRole('button', { name: texts.finish }).click();
    const diff = this.window.preview.getByTestId('edit-preview-diff');
    await diff.waitFor({ timeout: 30_000 });
    const text = await diff.innerText();
    await this.window.confirmPreview();
    await this.addDialog.waitFor({ state: 'hidden', timeout: 30_000 });
    return text;
  }

  get mediaCard(): Locator {
    return this.page.getByTestId('disk-media');
  }

  async eject(): Promise<void> {
    await this.mediaCard.getByRole('button', { name: texts.eject }).click();
  }

  /** The page of the disk chosen in the nav (its settings and I/O limits). */
  get diskPage(): Locator {
    return this.page.getByTestId('device-page-disk');
  }

  /** The device page's Apply, then the preview's Apply; returns the diff the preview showed. */
  async applyDevicePage(scope: Locator): Promise<string> {
    await scope.getByRole('button', { name: texts.apply, exact: true }).click();
    const diff = this.window.preview.getByTestId('edit-preview-diff');
    await diff.waitFor({ timeout: 30_000 });
    const text = await diff.innerText();
    await this.window.confirmPreview();
    return text;
  }

  // The XML tab.

  get xmlTab(): Locator {
    return this.page.getByTestId('vm-xml-tab');
  }

  /** Opens the XML tab and waits for CodeMirror to be there. */
  async openXmlTab(): Promise<void> {
    await this.window.tab('XML').click();
    await this.xmlTab.locator('[data-testid="xml-editor"][data-ready="true"] .cm-content').waitFor({
      timeout: 30_000,
    });
  }

  get editor(): Locator {
    return this.xmlTab.locator('.cm-content');
  }

  /**
   * The editor's whole text. CodeMirror draws only the lines in view, so the DOM does not
   * hold it all; this asks the editor itself, the way CodeMirror's own
   * `EditorView.findFromDOM` finds it from `.cm-content`.
   */
  async editorText(): Promise<string> {
    return this.editor.evaluate((el) => {
      const tile = (el as unknown as { cmTile?: { root?: { view?: unknown } } }).cmTile;
      const view = tile?.root?.view as { state: { doc: { toString(): string } } } | undefined;
      if (!view) throw new Error('no CodeMirror view on .cm-content');
      return view.state.doc.toString();
    });
  }

  /** Puts the caret at the end of the first line and types there, as a user would. */
  async typeAtEndOfFirstLine(text: string): Promise<void> {
    await this.editor.locator('.cm-line').first().click();
    await this.page.keyboard.press('End');
    await this.page.keyboard.type(text);
  }

  xmlButton(name: string): Locator {
    return this.xmlTab.getByRole('button', { name, exact: true });
  }

  get parseProblem(): Locator {
    return this.xmlTab.getByTestId('xml-parse-problem');
  }

  get applyError(): Locator {
    return this.xmlTab.getByTestId('xml-apply-error');
  }

  get lintMarks(): Locator {
    return this.xmlTab.locator('.cm-lintRange-error');
  }
}
