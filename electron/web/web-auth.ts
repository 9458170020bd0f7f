import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_COOKIE } from '../../shared/contract/wire';

/** Characters that need no escaping in a URL query or a cookie value. */
const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,512}$/;

export type AuthOutcome =
  | { kind: 'allowed' }
  | { kind: 'denied' }
  /** A valid `?token=`: store it in a cookie and reload the URL without it. */
  | { kind: 'redirect'; location: string; setCookie: string };

/**
 * The web host's only credential: a per-run secret, given once in the printed URL and then
 * kept in an HttpOnly cookie. Compared in constant time (as digests, so the length does not
 * leak either).
 */
export class WebAuth {
  private readonly digest: Buffer;

  constructor(readonly token: string) {
    if (!TOKEN_PATTERN.test(token)) {
      throw new Error(
        'The web token must be 16–512 characters from A–Z a–z 0–9 . _ ~ - (check VIRTDECK_WEB_TOKEN)',
      );
    }
    this.digest = sha256(token);
  }

  /** `VIRTDECK_WEB_TOKEN`, or 32 random bytes for this run. */
  static fromEnvironment(env: Readonly<Record<string, string | undefined>>): WebAuth {
    return new WebAuth(env.VIRTDECK_WEB_TOKEN || randomBytes(32).toString('base64url'));
  }

  matches(candidate: string): boolean {
    return timingSafeEqual(this.digest, sha256(candidate));
  }

  /** For page loads: a query token is traded for the cookie and removed from the URL. */
  authorizeRequest(req: IncomingMessage, url: URL): AuthOutcome {
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) {
      if (!this.matches(queryToken)) return { kind: 'denied' };
      const clean = new URL(url);
      clean.searchParams.delete('token');
      return {
        kind: 'redirect',
        location: `${clean.pathname}${clean.search}`,
        setCookie: `${TOKEN_COOKIE}=${this.token}; HttpOnly; SameSite=Strict; Path=/`,
      };
    }
    return this.hasTokenCookie(req) ? { kind: 'allowed' } : { kind: 'denied' };
  }

  /** For WebSocket upgrades: the cookie, or a `?token=` for clients that cannot set one. */
  authorizeUpgrade(req: IncomingMessage, url: URL): boolean {
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) return this.matches(queryToken);
    return this.hasTokenCookie(req);
  }

  private hasTokenCookie(req: IncomingMessage): boolean {
    let found = false;
    // Every candidate is compared, so timing does not tell which cookie was close.
    for (const value of cookieValues(req.headers.cookie, TOKEN_COOKIE)) {
      if (this.matches(value)) found = true;
    }
    return found;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}
