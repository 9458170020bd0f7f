import type { Download, Locator, Page } from 'playwright-core';
import { waitFor } from '../../harness/wait-for';
import { ConsolePage } from './console.page';

/** US-layout keys whose shifted character the tests type. */
const SHIFTED: Readonly<Record<string, string>> = {
  $: 'Digit4',
  '(': 'Digit9',
  ')': 'Digit0',
  '*': 'Digit8',
  '>': 'Period',
  '|': 'Backslash',
};

/** The shell prompt of the tiny Linux guest (test/harness/tiny-linux-assets.ts). */
const TINY_PROMPT = /virtdeck-tiny# /;

/**
 * The console window's tools as a user reaches them: the device chooser, the Send keys
 * menu, "Type text into the VM", full screen, the keyboard toggle, screenshots, and the
 * serial terminal (typed into with the page's keyboard, read back from xterm's rows).
 */
export class ConsoleToolsPage extends ConsolePage {
  /** The detached console page of a VM, with its tools. */
  static override async open(
    page: Page,
    baseUrl: string,
    connectionId: string,
    uuid: string,
  ): Promise<ConsoleToolsPage> {
    await ConsolePage.open(page, baseUrl, connectionId, uuid);
    return new ConsoleToolsPage(page);
  }

  /** The toolbar's "Console" chooser (its input is covered by the field: click that). */
  private get chooser(): Locator {
    return this.toolbar.locator('.v-select .v-field');
  }

  /** Picks a device in the toolbar's "Console" chooser by its shown label. */
  async chooseDevice(label: string): Promise<void> {
    await this.chooser.click();
    await this.page.getByRole('option', { name: label, exact: true }).click();
  }

  /** The labels the device chooser offers. */
  async deviceLabels(): Promise<string[]> {
    await this.chooser.click();
    const options = this.page.getByRole('option');
    await options.first().waitFor({ timeout: 10_000 });
    const labels = (await options.allInnerTexts()).map((label) => label.trim());
    await this.page.keyboard.press('Escape');
    return labels;
  }

  get terminal(): Locator {
    return this.page.getByTestId('serial-terminal');
  }

  /** What the serial terminal shows now (its visible rows). */
  terminalText(): Promise<string> {
    return this.terminal.locator('.xterm-rows').innerText();
  }

  /** Waits for text on the serial terminal. */
  waitForTerminal(pattern: RegExp, what: string, timeoutMs = 30_000): Promise<true> {
    return waitFor(async () => (pattern.test(await this.terminalText()) ? true : undefined), {
      what,
      timeoutMs,
      intervalMs: 250,
    });
  }

  /** Focuses the terminal and presses Enter until the tiny Linux shell shows its prompt. */
  async waitForShell(timeoutMs = 90_000): Promise<void> {
    await this.terminal.click();
    await waitFor(
      async () => {
        await this.page.keyboard.press('Enter');
        return TINY_PROMPT.test(await this.terminalText()) ? true : undefined;
      },
      { what: 'the tiny Linux shell prompt', timeoutMs, intervalMs: 1000 },
    );
  }

  /** Types a command line into the focused serial terminal and presses Enter. */
  async typeCommand(command: string): Promise<void> {
    await this.page.keyboard.type(command);
    await this.page.keyboard.press('Enter');
  }

  /**
   * Types with the page's keyboard as a person on a US layout does: Shift held for shifted
   * characters. (Playwright's `type` sends '$' as Digit4 without a Shift press, and noVNC
   * forwards physical keys, so the guest would see '4'.)
   */
  async typeWithShift(text: string): Promise<void> {
    for (const char of text) {
      const shifted = SHIFTED[char];
      if (char === '\n') await this.page.keyboard.press('Enter');
      else if (shifted) await this.page.keyboard.press(`Shift+${shifted}`);
      else if (/^[A-Z]$/.test(char)) await this.page.keyboard.press(`Shift+Key${char}`);
      else await this.page.keyboard.press(char);
    }
  }

  /** A Send keys menu item (a key combination or "Send NMI"). */
  async sendKeys(item: string): Promise<void> {
    await this.toolbar.getByRole('button', { name: 'Send keys' }).click();
    await this.page.getByRole('menuitem', { name: item, exact: true }).click();
  }

  /** "Type text into the VM…": the text is pressed as keys on the display. */
  async typeIntoVm(text: string): Promise<void> {
    await this.toolbar.getByRole('button', { name: 'Type text into the VM…' }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('Text to type').fill(text);
    await dialog.getByRole('button', { name: 'Type it' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  get grabButton(): Locator {
    return this.toolbar.getByRole('button', { name: 'Keyboard to the VM' });
  }

  /** The noVNC canvas the display is drawn on. */
  get canvas(): Locator {
    return this.page.locator('[data-testid="vnc-screen"] canvas');
  }

  /** Clicks Screenshot and returns the browser's download of it. */
  async screenshot(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download', { timeout: 60_000 }),
      this.toolbar.getByRole('button', { name: 'Save a screenshot' }).click(),
    ]);
    return download;
  }

  /** The class list of the element in full screen (null outside full screen). */
  fullscreenElementClass(): Promise<string | null> {
    return this.page.evaluate(() => {
      const doc = (
        globalThis as unknown as { document: { fullscreenElement: { className: string } | null } }
      ).document;
      return doc.fullscreenElement?.className ?? null;
    });
  }

  /** Whether the console's toolbar has slid out of view (full screen, pointer away). */
  async toolbarHidden(): Promise<boolean> {
    const classes = (await this.page.locator('.console-view__bar').getAttribute('class')) ?? '';
    return classes.split(/\s+/).includes('console-view__bar--hidden');
  }
}
