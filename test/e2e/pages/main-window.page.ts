import type { Locator, Page } from 'playwright-core';

export type UiLanguage = 'en' | 'zh-CN';
export type ThemeName = 'light' | 'dark';

/**
 * What the user reads, per language. Written out here (not read from the renderer's locale
 * files) because these texts are what the test checks.
 */
const texts = {
  en: {
    toolbar: 'Application toolbar',
    theme: 'Theme',
    language: 'Language',
    connections: 'Connections',
    statusBar: 'Status',
    webHost: 'Web host',
    themes: { light: 'Light', dark: 'Dark', system: 'System' },
  },
  'zh-CN': {
    toolbar: '应用工具栏',
    theme: '主题',
    language: '语言',
    connections: '连接',
    statusBar: '状态',
    webHost: 'Web 主机',
    themes: { light: '浅色', dark: '深色', system: '跟随系统' },
  },
} as const;

/** Language names are autonyms: the same in every UI language. */
const languageNames: Record<UiLanguage, string> = { en: 'English', 'zh-CN': '简体中文' };

/**
 * VirtDeck's main window: toolbar, connections panel, status bar. Finds everything by role
 * and accessible name in the language the page is currently shown in.
 */
export class MainWindowPage {
  private language: UiLanguage = 'en';

  private constructor(readonly page: Page) {}

  /** Opens `url` (the web host's printed URL) and waits for the whole window. */
  static async open(page: Page, url: string, language: UiLanguage = 'en'): Promise<MainWindowPage> {
    const response = await page.goto(url);
    if (!response?.ok()) {
      throw new Error(`Opening ${url} answered ${response?.status() ?? 'nothing'}`);
    }
    const window = new MainWindowPage(page);
    window.language = language;
    await window.waitUntilShown();
    return window;
  }

  private get t() {
    return texts[this.language];
  }

  /** Vuetify's app root; carries `data-theme` and the `v-theme--…` class. */
  get appRoot(): Locator {
    return this.page.locator('.v-application');
  }

  get toolbar(): Locator {
    return this.page.getByRole('banner', { name: this.t.toolbar });
  }

  get connectionsPanel(): Locator {
    return this.page.getByRole('navigation', { name: this.t.connections });
  }

  get statusBar(): Locator {
    return this.page.getByRole('contentinfo', { name: this.t.statusBar });
  }

  get themeButton(): Locator {
    return this.toolbar.getByRole('button', { name: this.t.theme, exact: true });
  }

  get languageButton(): Locator {
    return this.toolbar.getByRole('button', { name: this.t.language, exact: true });
  }

  /** Resolves once toolbar, panel and status bar (with the host kind) are visible. */
  async waitUntilShown(): Promise<this> {
    await Promise.all([
      this.toolbar.waitFor(),
      this.connectionsPanel.waitFor(),
      this.statusBar.waitFor(),
      this.themeButton.waitFor(),
      this.languageButton.waitFor(),
      this.statusBar.getByText(this.t.webHost, { exact: true }).waitFor(),
    ]);
    return this;
  }

  async chooseLanguage(language: UiLanguage): Promise<this> {
    await this.languageButton.click();
    const menu = this.page.getByRole('menu', { name: this.t.language });
    await menu.getByRole('menuitemradio', { name: languageNames[language] }).click();
    this.language = language;
    // The toolbar's own name switches language with everything else.
    return this.waitUntilShown();
  }

  async chooseTheme(theme: ThemeName): Promise<this> {
    await this.themeButton.click();
    const menu = this.page.getByRole('menu', { name: this.t.theme });
    await menu.getByRole('menuitemradio', { name: this.t.themes[theme], exact: true }).click();
    await this.waitForTheme(theme);
    return this;
  }

  /** Waits until the app root shows `theme` both ways the renderer marks it. */
  async waitForTheme(theme: ThemeName): Promise<void> {
    await this.page.locator(`.v-application.v-theme--${theme}[data-theme="${theme}"]`).waitFor();
  }

  /** The app root's computed background, e.g. "rgb(18, 18, 18)". */
  async backgroundColor(): Promise<string> {
    return this.appRoot.evaluate((element) => {
      // This tsconfig has no DOM library; the function runs in the page, which has one.
      const view = (element as { ownerDocument: { defaultView: unknown } }).ownerDocument
        .defaultView as { getComputedStyle(e: unknown): { backgroundColor: string } };
      return view.getComputedStyle(element).backgroundColor;
    });
  }

  /** The checked item of the theme menu, read by opening and closing it. */
  async checkedTheme(): Promise<string> {
    await this.themeButton.click();
    const menu = this.page.getByRole('menu', { name: this.t.theme });
    const checked = menu.getByRole('menuitemradio', { checked: true });
    const name = (await checked.innerText()).trim();
    await this.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    return name;
  }
}
