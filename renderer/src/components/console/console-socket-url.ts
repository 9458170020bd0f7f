import type { ConsoleTicket } from '../../../../shared/contract';

/**
 * The WebSocket URL of a console ticket: the endpoint the host named (Electron's loopback
 * console server), or the page's own origin (the web host), which also sends its cookie.
 */
export function consoleSocketUrl(
  ticket: Pick<ConsoleTicket, 'path' | 'wsOrigin'>,
  pageHref: string,
): string {
  if (ticket.wsOrigin) return `${ticket.wsOrigin}${ticket.path}`;
  const page = new URL(pageHref);
  if (page.protocol !== 'http:' && page.protocol !== 'https:') {
    throw new Error(
      `A console needs an endpoint: the page is ${page.protocol} and the ticket names none`,
    );
  }
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}${ticket.path}`;
}
