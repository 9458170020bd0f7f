/**
 * Errors as they cross the process border. A libvirt failure keeps libvirt's own code,
 * domain and message so the renderer can show exactly what the daemon said.
 */
export type ErrorKind =
  /** The daemon answered with an error (virError). */
  | 'libvirt'
  /** The request did not match the contract; nothing was done. */
  | 'validation'
  /** The link to a host failed (socket, SSH, TLS, timeouts). */
  | 'transport'
  /** A bug or an unexpected condition on our side. */
  | 'internal';

export interface ContractError {
  kind: ErrorKind;
  message: string;
  /** virErrorNumber, for kind 'libvirt'. */
  code?: number;
  /** virErrorDomain, for kind 'libvirt'. */
  domain?: number;
  /** Symbolic name of `code`, e.g. VIR_ERR_NO_DOMAIN. */
  codeName?: string;
  /** Where in the input a validation error points (e.g. "port"). */
  path?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/** Thrown by the renderer's client when a call answers an error. */
export class VirtDeckError extends Error {
  readonly kind: ErrorKind;
  readonly code: number | undefined;
  readonly domain: number | undefined;
  readonly codeName: string | undefined;
  readonly path: string | undefined;

  constructor(error: ContractError) {
    super(error.message);
    this.name = 'VirtDeckError';
    this.kind = error.kind;
    this.code = error.code;
    this.domain = error.domain;
    this.codeName = error.codeName;
    this.path = error.path;
  }

  toContractError(): ContractError {
    return {
      kind: this.kind,
      message: this.message,
      code: this.code,
      domain: this.domain,
      codeName: this.codeName,
      path: this.path,
    };
  }
}
