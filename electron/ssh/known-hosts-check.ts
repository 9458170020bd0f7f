import { createHmac, timingSafeEqual } from 'node:crypto';
import { matchHostPatternList } from './host-pattern';
import type { KnownHostsEntry, ParsedKnownHosts } from './known-hosts-parse';

/** The name OpenSSH looks up: `host` on port 22, else `[host]:port`; lower-cased. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

export type HostKeyCheck =
  | { status: 'trusted'; entry: KnownHostsEntry }
  /** The presented key is listed as `@revoked` for this host. */
  | { status: 'revoked'; entry: KnownHostsEntry }
  /** The host is known with a different key of the same type: possible MITM. */
  | { status: 'changed'; entry: KnownHostsEntry }
  | {
      status: 'unknown';
      /** Key types this host IS known with (a different type was presented). */
      otherKeyTypes: string[];
      /** `@cert-authority` lines matched this host; we do not verify host certificates. */
      ignoredCertAuthorities: number;
    };

export function entryMatchesName(entry: KnownHostsEntry, name: string): boolean {
  if (entry.names.kind === 'patterns') return matchHostPatternList(entry.names.patterns, name);
  const mac = createHmac('sha1', entry.names.salt).update(name).digest();
  return timingSafeEqual(mac, entry.names.hash);
}

/**
 * Looks `keyBlob` up for `host:port` the way OpenSSH's check_host_key does: revoked
 * beats everything, an exact key match is trusted, the same key type with other key
 * data is a change, anything else is unknown.
 */
export function checkHostKey(
  parsed: ParsedKnownHosts,
  host: string,
  port: number,
  keyType: string,
  keyBlob: Uint8Array,
): HostKeyCheck {
  const name = knownHostsName(host, port);
  const matching = parsed.entries.filter((e) => entryMatchesName(e, name));
  const revoked = matching.find((e) => e.marker === 'revoked' && e.keyBlob.equals(keyBlob));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = matching.filter((e) => e.marker === null);
  const trusted = plain.find((e) => e.keyBlob.equals(keyBlob));
  if (trusted) return { status: 'trusted', entry: trusted };
  const changed = plain.find((e) => e.keyType === keyType);
  if (changed) return { status: 'changed', entry: changed };
  return {
    status: 'unknown',
    otherKeyTypes: [...new Set(plain.map((e) => e.keyType))],
    ignoredCertAuthorities: matching.filter((e) => e.marker === 'cert-authority').length,
  };
}

/** Key types recorded (unmarked) for this host, so the handshake can prefer them. */
export function knownKeyTypesFor(parsed: ParsedKnownHosts, host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  const types = parsed.entries
    .filter((e) => e.marker === null && entryMatchesName(e, name))
    .map((e) => e.keyType);
  return [...new Set(types)];
}
