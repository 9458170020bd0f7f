/**
 * Why an SSH connection or channel failed. The UI (and tests) switch on `reason`; the
 * message is already written for a person and names the host and port.
 */
export type SshErrorReason =
  | 'invalid-input'
  | 'connection-refused'
  | 'host-unreachable'
  | 'dns'
  | 'timeout'
  | 'connection-lost'
  | 'host-key-unknown'
  | 'host-key-rejected'
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'known-hosts-write'
  | 'auth-failed'
  | 'auth-cancelled'
  | 'passphrase'
  | 'jump-forward'
  | 'channel-refused'
  | 'remote-command'
  | 'protocol';

export class SshError extends Error {
  /** Marks a link failure for the IPC border (to-contract-error.ts), like TransportError. */
  readonly transport = true as const;
  readonly reason: SshErrorReason;

  constructor(reason: SshErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SshError';
    this.reason = reason;
  }
}

/** `host:port`, with IPv6 literals bracketed so the port is unambiguous. */
export function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
