/**
 * Electron serves the renderer from app://virtdeck/ (a privileged standard scheme), never
 * from file:// or the network. The origin is what main trusts for IPC and navigation.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'virtdeck';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True for any URL on our own origin. */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    // Node gives custom schemes an opaque origin ("null"), so compare the parts instead.
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The URL to hand to the system browser, or null. Only plain https links without
 * credentials qualify: never file:, a custom scheme handler or javascript:.
 */
export function safeExternalUrl(url: string): string | null {
  if (url.length > 2048) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return null;
    return parsed.href;
  } catch {
    return null;
  }
}
