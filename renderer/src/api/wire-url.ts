import { WIRE_PATH } from '../../../shared/contract';

/**
 * The web host's WebSocket address for a page: same origin (so the auth cookie the host set
 * goes along), ws/wss to match http/https, and the page's own `?token=` passed on for the
 * first connection, before the cookie exists or where cookies are blocked.
 */
export function wireUrl(pageUrl: string): string {
  const page = new URL(pageUrl);
  if (page.protocol !== 'http:' && page.protocol !== 'https:') {
    throw new Error(`The web bridge needs an http(s) page, not ${page.protocol}`);
  }
  const url = new URL(WIRE_PATH, page.origin);
  url.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = page.searchParams.get('token');
  if (token) url.searchParams.set('token', token);
  return url.toString();
}
