import { createHash, randomBytes } from 'node:crypto';
import { CONSOLE_TOKEN_PATTERN, CONSOLE_WS_PREFIX } from '../../shared/contract/consoles';

/** What a token grants: one console session. The bridge keeps the rest of its state. */
export interface TicketBinding {
  readonly id: string;
  readonly connectionId: string;
  readonly uuid: string;
  /** e.g. `graphics:0`, `serial:serial0`. */
  readonly device: string;
}

export interface IssuedTicket<T> {
  readonly token: string;
  readonly path: string;
  readonly entry: T;
}

/**
 * Per-console secrets. A token is 32 random bytes; only its SHA-256 is kept, and tokens are
 * looked up by that digest, so neither the map nor its timing can reveal one. Revoked and
 * expired tokens are simply gone.
 */
export class ConsoleTicketRegistry<T extends { readonly binding: TicketBinding }> {
  private readonly byDigest = new Map<string, T>();
  private readonly digestById = new Map<string, string>();

  issue(make: (binding: TicketBinding) => T, binding: Omit<TicketBinding, 'id'>): IssuedTicket<T> {
    const token = randomBytes(32).toString('base64url');
    const id = randomBytes(12).toString('base64url');
    const entry = make({ ...binding, id });
    const digest = digestOf(token);
    this.byDigest.set(digest, entry);
    this.digestById.set(id, digest);
    return { token, path: `${CONSOLE_WS_PREFIX}${token}`, entry };
  }

  /** The entry a presented token names, or null (malformed, unknown or revoked). */
  lookup(token: string): T | null {
    if (!CONSOLE_TOKEN_PATTERN.test(token)) return null;
    return this.byDigest.get(digestOf(token)) ?? null;
  }

  byId(id: string): T | null {
    const digest = this.digestById.get(id);
    return digest === undefined ? null : (this.byDigest.get(digest) ?? null);
  }

  revoke(id: string): void {
    const digest = this.digestById.get(id);
    if (digest === undefined) return;
    this.digestById.delete(id);
    this.byDigest.delete(digest);
  }

  entries(): T[] {
    return [...this.byDigest.values()];
  }
}

function digestOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
