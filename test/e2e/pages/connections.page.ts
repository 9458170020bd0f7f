import type { Locator, Page } from 'playwright-core';

/** What the user reads (English UI). Written out: these texts are part of what is tested. */
const texts = {
  panel: 'Connections',
  list: 'Saved connections',
  add: 'Add connection',
  import: 'Import connections…',
  more: 'More actions',
  connect: 'Connect',
  disconnect: 'Disconnect',
  uri: 'Connection URI',
  customUri: 'Custom URI',
  alias: 'Alias',
  description: 'Description (optional)',
  autoconnect: 'Connect when VirtDeck starts',
  addButton: 'Add',
  cancel: 'Cancel',
  confirmDelete: 'Delete',
  close: 'Close',
  statusBar: 'Status',
  sshSection: 'SSH settings',
  identityFile: 'Identity file',
  useAgent: 'Use the SSH agent',
} as const;

export type StatusText =
  'Connected' | 'Disconnected' | 'Connecting…' | 'Failed' | 'Waiting for you to sign in' | RegExp;

export interface ConnectionFormInput {
  alias: string;
  /** Opens "SSH settings" and fills what is given. */
  ssh?: { identityFile?: string; useAgent?: boolean };
  /** Typed into the URI field, which switches the dialog to "custom URI". */
  customUri?: string;
  description?: string;
  autoconnect?: boolean;
}

/**
 * The connections pane, its rows and the dialogs it opens, found by role and accessible
 * name as a keyboard or screen-reader user would find them.
 */
export class ConnectionsPage {
  constructor(readonly page: Page) {}

  get panel(): Locator {
    return this.page.getByRole('navigation', { name: texts.panel });
  }

  get list(): Locator {
    return this.panel.getByRole('list', { name: texts.list });
  }

  row(alias: string): Locator {
    return this.panel.getByRole('listitem', { name: alias, exact: true });
  }

  /** The row's state line, e.g. "Connected" or "Reconnecting in 4 s". */
  status(alias: string): Locator {
    return this.row(alias).getByTestId('connection-status');
  }

  problem(alias: string): Locator {
    return this.row(alias).getByTestId('connection-problem');
  }

  async waitForStatus(alias: string, text: StatusText, timeout = 30_000): Promise<void> {
    const status = this.status(alias);
    const expected = typeof text === 'string' ? text : undefined;
    await status
      .filter({ hasText: text })
      .waitFor({ timeout })
      .catch(async (error: unknown) => {
        const seen = (await status.count()) > 0 ? await status.innerText() : '(no row)';
        const problem =
          (await this.problem(alias).count()) > 0 ? await this.problem(alias).innerText() : '';
        throw new Error(
          `${alias}: waited for "${expected ?? String(text)}", the row says "${seen.trim()}"` +
            (problem ? ` — ${problem.trim()}` : '') +
            `\n${(error as Error).message}`,
        );
      });
  }

  async aliases(): Promise<string[]> {
    if ((await this.list.count()) === 0) return [];
    return this.list
      .getByRole('listitem')
      .evaluateAll((items) => items.map((item) => item.getAttribute('aria-label') ?? ''));
  }

  /** Runs a row action from its context menu (right click), as most desktop users would. */
  async runFromContextMenu(alias: string, action: string): Promise<void> {
    await this.row(alias).click({ button: 'right' });
    await this.page.getByRole('menu', { name: `Actions for ${alias}` }).waitFor();
    await this.page.getByRole('menuitem', { name: action, exact: true }).click();
  }

  /** Runs a row action from its "More actions" menu button. */
  async runFromMenuButton(alias: string, action: string): Promise<void> {
    const row = this.row(alias);
    await row.hover();
    await row.getByRole('button', { name: texts.more }).click();
    await this.page.getByRole('menu', { name: `Actions for ${alias}` }).waitFor();
    await this.page.getByRole('menuitem', { name: action, exact: true }).click();
  }

  /** The row's own Connect/Disconnect button. */
  quickButton(alias: string, action: 'Connect' | 'Disconnect'): Locator {
    return this.row(alias).getByRole('button', { name: action, exact: true });
  }

  addDialog(): Locator {
    return this.page.getByRole('dialog', { name: texts.add });
  }

  async openAddDialog(): Promise<Locator> {
    await this.panel.getByRole('button', { name: texts.add, exact: true }).first().click();
    const dialog = this.addDialog();
    await dialog.waitFor();
    return dialog;
  }

  /** Fills the Add Connection dialog the way a user does: alias, custom URI, options. */
  async fillForm(dialog: Locator, input: ConnectionFormInput): Promise<void> {
    if (input.customUri !== undefined) {
      // Named "Connection URI" while generated, "Custom URI" once typed into.
      const uri = dialog.getByRole('textbox', {
        name: new RegExp(`^(${texts.uri}|${texts.customUri})$`),
      });
      await uri.fill(input.customUri);
      await dialog.getByRole('textbox', { name: texts.customUri }).waitFor();
    }
    await dialog.getByRole('textbox', { name: texts.alias, exact: true }).fill(input.alias);
    if (input.description !== undefined) {
      await dialog.getByRole('textbox', { name: texts.description }).fill(input.description);
    }
    if (input.ssh) await this.fillSshSettings(dialog, input.ssh);
    if (input.autoconnect !== undefined) {
      const toggle = dialog.getByLabel(texts.autoconnect);
      if ((await toggle.isChecked()) !== input.autoconnect) await toggle.click();
    }
  }

  async fillSshSettings(
    dialog: Locator,
    ssh: NonNullable<ConnectionFormInput['ssh']>,
  ): Promise<void> {
    const section = dialog.getByRole('button', { name: texts.sshSection });
    if ((await section.getAttribute('aria-expanded')) !== 'true') await section.click();
    if (ssh.identityFile !== undefined) {
      await dialog.getByRole('textbox', { name: texts.identityFile }).fill(ssh.identityFile);
    }
    if (ssh.useAgent !== undefined) {
      const agent = dialog.getByLabel(texts.useAgent);
      if ((await agent.isChecked()) !== ssh.useAgent) await agent.click();
    }
  }

  async submitForm(dialog: Locator): Promise<void> {
    await dialog.getByRole('button', { name: texts.addButton, exact: true }).click();
  }

  /** The host's refusal, as the dialog shows it (fields' own messages are alerts too). */
  formError(dialog: Locator): Locator {
    return dialog.getByTestId('connection-form-error');
  }

  async addConnection(input: ConnectionFormInput): Promise<void> {
    const dialog = await this.openAddDialog();
    await this.fillForm(dialog, input);
    await this.submitForm(dialog);
    await dialog.waitFor({ state: 'hidden' });
  }

  async cancelForm(dialog: Locator): Promise<void> {
    await dialog.getByRole('button', { name: texts.cancel, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  editDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Edit connection' });
  }

  deleteDialog(alias: string): Locator {
    return this.page.getByRole('alertdialog', { name: `Delete “${alias}”?` });
  }

  detailsDialog(alias: string): Locator {
    return this.page.getByRole('dialog', { name: `${alias} — details` });
  }

  /** The modal question of one connection (host key, password, …), by its title. */
  prompt(title: string): Locator {
    return this.page.getByRole('dialog', { name: title });
  }

  hostKeyPrompt(alias: string): Locator {
    return this.prompt(`Unknown host key for ${alias}`);
  }

  passwordPrompt(alias: string): Locator {
    return this.prompt(`Password for ${alias}`);
  }

  get statusBarConnections(): Locator {
    return this.page
      .getByRole('contentinfo', { name: texts.statusBar })
      .getByTestId('status-connections');
  }
}
