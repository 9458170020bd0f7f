/**
 * The OS colour scheme and language as the page sees them, read live. Globals are read
 * structurally so the preferences store also runs under plain Node (no window: light, 'en').
 */
interface MediaQueryListLike {
  readonly matches: boolean;
  addEventListener(type: 'change', listener: () => void): void;
  removeEventListener(type: 'change', listener: () => void): void;
}

interface PageGlobals {
  matchMedia?: (query: string) => MediaQueryListLike;
  navigator?: { language?: string };
  addEventListener?: (type: 'languagechange', listener: () => void) => void;
  removeEventListener?: (type: 'languagechange', listener: () => void) => void;
}

const DARK_QUERY = '(prefers-color-scheme: dark)';

function page(): PageGlobals {
  return globalThis as unknown as PageGlobals;
}

export const systemSettings = {
  prefersDark(): boolean {
    return page().matchMedia?.(DARK_QUERY).matches ?? false;
  },

  /** Calls back with the new value whenever the OS switches between light and dark. */
  onPrefersDarkChange(callback: (dark: boolean) => void): () => void {
    const query = page().matchMedia?.(DARK_QUERY);
    if (!query) return () => undefined;
    const listener = () => callback(query.matches);
    query.addEventListener('change', listener);
    return () => query.removeEventListener('change', listener);
  },

  language(): string {
    return page().navigator?.language ?? 'en';
  },

  onLanguageChange(callback: (language: string) => void): () => void {
    const globals = page();
    if (!globals.addEventListener || !globals.removeEventListener) return () => undefined;
    const listener = () => callback(systemSettings.language());
    globals.addEventListener('languagechange', listener);
    return () => globals.removeEventListener?.('languagechange', listener);
  },
};
