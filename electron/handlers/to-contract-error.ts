import type { ContractError } from '../../shared/contract/errors';
import { VirtDeckError } from '../../shared/contract/errors';

/** What `electron/libvirt/errors.ts` `LibvirtError` carries; matched by shape, see below. */
interface LibvirtLike {
  libvirt: true;
  message: string;
  code: number;
  domain: number;
  codeName?: unknown;
}

/** Node's socket errors: the link to a host failed, not the host's answer. */
const linkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_SOCKET_CLOSED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** ssh2 tags its connection failures with `level`. */
const sshLinkLevels = new Set([
  'client-socket',
  'client-timeout',
  'client-dns',
  'client-authentication',
  'handshake',
  'protocol',
]);

/**
 * Turns whatever a handler threw into the error that crosses the border. libvirt's code,
 * domain and message survive unchanged, also when a service wrapped the error as `cause`;
 * anything else keeps its real message (never a generic "something went wrong").
 */
export function toContractError(err: unknown): ContractError {
  if (err instanceof VirtDeckError) return err.toContractError();
  const libvirt = findCause(err, isLibvirtLike);
  if (libvirt) {
    return {
      kind: 'libvirt',
      message: libvirt.message,
      code: libvirt.code,
      domain: libvirt.domain,
      ...(typeof libvirt.codeName === 'string' ? { codeName: libvirt.codeName } : {}),
    };
  }
  const invalid = findCause(err, isValidationLike);
  if (invalid) return { kind: 'validation', message: invalid.message };
  const link = findCause(err, isLinkError);
  if (link) return { kind: 'transport', message: messageWithCause(err, link) };
  if (err instanceof Error) return { kind: 'internal', message: err.message || err.name };
  return { kind: 'internal', message: `A non-Error value was thrown: ${describe(err)}` };
}

/**
 * By shape, not `instanceof`: the libvirt client is built separately and a second copy of
 * the class (another bundle chunk, a test double server's error) must still be recognised.
 */
function isLibvirtLike(value: unknown): value is LibvirtLike {
  if (!(value instanceof Error)) return false;
  const { code, domain, libvirt } = value as Partial<LibvirtLike>;
  return libvirt === true && Number.isInteger(code) && Number.isInteger(domain);
}

/** Bad input caught below the registry (a malformed URI, a broken libvirt.conf): marker `validation`. */
function isValidationLike(value: unknown): value is Error {
  return value instanceof Error && (value as Error & { validation?: unknown }).validation === true;
}

/** Our TransportError/ProtocolError (by marker, as above), Node socket and ssh2 failures. */
function isLinkError(value: unknown): value is Error {
  if (!(value instanceof Error)) return false;
  const { transport, protocol, code, level } = value as Error & Record<string, unknown>;
  if (transport === true || protocol === true) return true;
  return (
    (typeof code === 'string' && linkErrorCodes.has(code)) ||
    (typeof level === 'string' && sshLinkLevels.has(level))
  );
}

function findCause<T>(err: unknown, match: (value: unknown) => value is T): T | null {
  let current: unknown = err;
  // Bounded: a cause chain can be circular.
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    if (match(current)) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return null;
}

/** "Connecting to web01 failed: connect ECONNREFUSED 127.0.0.1:16509" */
function messageWithCause(outer: unknown, inner: Error): string {
  if (!(outer instanceof Error) || outer === inner || outer.message.includes(inner.message)) {
    return inner.message;
  }
  return `${outer.message}: ${inner.message}`;
}

function describe(value: unknown): string {
  try {
    return `${typeof value} ${JSON.stringify(value)?.slice(0, 200) ?? ''}`.trim();
  } catch {
    return typeof value;
  }
}
