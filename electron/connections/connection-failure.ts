import type { ConnectionFailure } from '../../shared/contract/connections';
import { VirtDeckError } from '../../shared/contract/errors';
import { toContractError } from '../handlers/to-contract-error';
import { ConfigFileError, InvalidUriError, LibvirtError, TransportError } from '../libvirt/errors';
import {
  VIR_ERR_AUTH_CANCELLED,
  VIR_ERR_AUTH_FAILED,
  VIR_ERR_AUTH_UNAVAILABLE,
} from '../libvirt/protocol/constants.gen';
import { SshError } from '../ssh/ssh-error';
import type { SshErrorReason } from '../ssh/ssh-error';

/** SSH failures that the same attempt again cannot fix: the user must act. */
const PERMANENT_SSH: ReadonlySet<SshErrorReason> = new Set([
  'invalid-input',
  'host-key-unknown',
  'host-key-rejected',
  'host-key-changed',
  'host-key-revoked',
  'known-hosts-write',
  'auth-failed',
  'auth-cancelled',
  'passphrase',
]);

const AUTH_SSH: ReadonlySet<SshErrorReason> = new Set([
  'auth-failed',
  'auth-cancelled',
  'passphrase',
]);
const LIBVIRT_AUTH = new Set([
  VIR_ERR_AUTH_FAILED,
  VIR_ERR_AUTH_CANCELLED,
  VIR_ERR_AUTH_UNAVAILABLE,
]);

function findCause<T>(err: unknown, match: (value: unknown) => value is T): T | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (match(current)) return current;
    current = current.cause;
  }
  return undefined;
}

const isSsh = (v: unknown): v is SshError => v instanceof SshError;
const isTransport = (v: unknown): v is TransportError => v instanceof TransportError;
const isLibvirt = (v: unknown): v is LibvirtError => v instanceof LibvirtError;
const isBadInput = (v: unknown): v is Error =>
  v instanceof InvalidUriError || v instanceof ConfigFileError;

/**
 * The failure as the UI shows it: libvirt's code and message, or ssh's message with its
 * reason ('host-key-changed', 'auth-failed', …), or the link's ('connect', 'keepalive', …).
 */
export function toConnectionFailure(err: unknown): ConnectionFailure {
  const ssh = findCause(err, isSsh);
  if (ssh) return { kind: 'transport', message: ssh.message, reason: ssh.reason };
  const bad = findCause(err, isBadInput);
  if (bad) return { kind: 'validation', message: bad.message };
  const contract = toContractError(err);
  const failure: ConnectionFailure = { kind: contract.kind, message: contract.message };
  if (contract.code !== undefined) failure.code = contract.code;
  if (contract.codeName !== undefined) failure.codeName = contract.codeName;
  const transport = findCause(err, isTransport);
  if (transport && contract.kind !== 'libvirt') failure.reason = transport.reason;
  return failure;
}

/** The error a failed 'connection:connect' answers with; SSH failures count as transport. */
export function toReportedError(err: unknown): unknown {
  const ssh = findCause(err, isSsh);
  if (ssh) return new VirtDeckError({ kind: 'transport', message: ssh.message });
  const bad = findCause(err, isBadInput);
  if (bad) return new VirtDeckError({ kind: 'validation', message: bad.message });
  return err;
}

/** The attempt failed while proving who we are (a secret typed may be wrong). */
export function isAuthFailure(err: unknown): boolean {
  const ssh = findCause(err, isSsh);
  if (ssh) return AUTH_SSH.has(ssh.reason);
  const libvirt = findCause(err, isLibvirt);
  if (libvirt) return LIBVIRT_AUTH.has(libvirt.code);
  return findCause(err, isTransport)?.reason === 'auth';
}

/**
 * Retrying cannot help: bad settings, refused credentials or host keys. Everything else
 * (daemon restarting, network down, timeouts) is worth retrying with backoff.
 */
export function isPermanentFailure(err: unknown): boolean {
  if (err instanceof VirtDeckError) return err.kind === 'validation';
  if (findCause(err, isBadInput)) return true;
  const ssh = findCause(err, isSsh);
  if (ssh) return PERMANENT_SSH.has(ssh.reason);
  const libvirt = findCause(err, isLibvirt);
  if (libvirt) return LIBVIRT_AUTH.has(libvirt.code);
  const reason = findCause(err, isTransport)?.reason;
  return reason === 'auth' || reason === 'config';
}
