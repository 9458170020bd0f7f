import type { VirNetMessageError } from './protocol/virnet.gen';
import { VIR_ERR_RPC, virErrorDomainNames, virErrorNumberNames } from './protocol/constants.gen';

/** The fields of a libvirt `virError` as they travel in `remote_error`. */
export interface LibvirtErrorFields {
  code: number;
  domain: number;
  level: number;
  message: string | null;
  str1: string | null;
  str2: string | null;
  str3: string | null;
  int1: number;
  int2: number;
}

// libvirt's own client shows this when a daemon sends an error without a message.
const NO_MESSAGE = 'An error occurred, but the cause is unknown';

/**
 * An error the daemon reported (REPLY/ERROR or STREAM/ERROR). Keeps every field libvirt
 * sent, so callers can branch on `code` and show `message` exactly as libvirt wrote it.
 */
export class LibvirtError extends Error {
  /** Marker that survives structured cloning, where `instanceof` does not. */
  readonly libvirt = true as const;
  readonly code: number;
  readonly domain: number;
  readonly level: number;
  readonly str1: string | null;
  readonly str2: string | null;
  readonly str3: string | null;
  readonly int1: number;
  readonly int2: number;
  /** e.g. 'VIR_ERR_NO_DOMAIN'; 'VIR_ERR_<code>' for codes newer than our constants. */
  readonly codeName: string;
  /** e.g. 'VIR_FROM_QEMU'. */
  readonly domainName: string;

  constructor(fields: LibvirtErrorFields, options?: ErrorOptions) {
    super(fields.message ?? NO_MESSAGE, options);
    this.name = 'LibvirtError';
    this.code = fields.code;
    this.domain = fields.domain;
    this.level = fields.level;
    this.str1 = fields.str1;
    this.str2 = fields.str2;
    this.str3 = fields.str3;
    this.int1 = fields.int1;
    this.int2 = fields.int2;
    this.codeName = virErrorNumberNames[fields.code] ?? `VIR_ERR_${fields.code}`;
    this.domainName = virErrorDomainNames[fields.domain] ?? `VIR_FROM_${fields.domain}`;
  }

  static fromRemote(err: VirNetMessageError): LibvirtError {
    return new LibvirtError({
      code: err.code,
      domain: err.domain,
      level: err.level,
      message: err.message,
      str1: err.str1,
      str2: err.str2,
      str3: err.str3,
      int1: err.int1,
      int2: err.int2,
    });
  }
}

/** Why a link to a daemon failed or could not be made. */
export type TransportFailure =
  /** Could not reach the daemon (socket missing, refused, DNS, TLS/SSH set-up). */
  | 'connect'
  /** The daemon closed the connection. */
  | 'eof'
  /** A socket/channel error on an established link. */
  | 'io'
  /** No keepalive answer: the peer or the path to it is dead. */
  | 'keepalive'
  /** The peer sent bytes that are not libvirt RPC; the link was dropped. */
  | 'protocol'
  /** A call took longer than its timeout. */
  | 'timeout'
  /** The caller aborted a call (AbortSignal). */
  | 'aborted'
  /** We closed the connection (close(), or a call made after it). */
  | 'closed'
  /** Authentication could not be done (unsupported method, refused). */
  | 'auth'
  /** Local set-up is wrong (missing certificate, unsupported transport). */
  | 'config';

/** The link failed, or the call could not complete on it. Never a daemon-side error. */
export class TransportError extends Error {
  readonly transport = true as const;
  readonly reason: TransportFailure;

  constructor(message: string, reason: TransportFailure, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransportError';
    this.reason = reason;
  }
}

/** Bytes from the peer that break the RPC protocol (bad length, undecodable header, …). */
export class ProtocolError extends Error {
  readonly protocol = true as const;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProtocolError';
  }
}

/** A connection URI that libvirt would reject, or one we cannot serve. */
export class InvalidUriError extends Error {
  /** Marker: bad input from the user, nothing was attempted. */
  readonly validation = true as const;
  readonly uri: string;

  constructor(uri: string, message: string) {
    super(message);
    this.name = 'InvalidUriError';
    this.uri = uri;
  }
}

/** A libvirt client configuration file (libvirt.conf) that libvirt would reject. */
export class ConfigFileError extends Error {
  readonly validation = true as const;
  readonly file: string;
  /** 1-based line of a syntax error; null for type errors found after parsing. */
  readonly line: number | null;

  constructor(file: string, line: number | null, message: string) {
    super(line === null ? `${file}: ${message}` : `${file}:${line}: ${message}`);
    this.name = 'ConfigFileError';
    this.file = file;
    this.line = line;
  }
}

export function isLibvirtError(err: unknown, code?: number): err is LibvirtError {
  return err instanceof LibvirtError && (code === undefined || err.code === code);
}

/**
 * True when the daemon does not know the procedure (an older libvirt than our protocol
 * files). libvirt signals this only through the message text of a VIR_ERR_RPC error.
 */
export function isUnsupportedProcedure(err: unknown): boolean {
  return isLibvirtError(err, VIR_ERR_RPC) && err.message.startsWith('unknown procedure');
}
