import { SshError, formatEndpoint } from './ssh-error';

interface Ssh2ErrorShape {
  message: string;
  code?: unknown;
  level?: unknown;
}

/**
 * Turns what Node's socket or ssh2 reported while connecting into a message a person can
 * act on, always naming the host and port. Host-key and authentication failures are
 * explained by their own modules; this covers the network and the protocol.
 */
export function classifyConnectError(err: unknown, host: string, port: number): SshError {
  const where = formatEndpoint(host, port);
  const e: Ssh2ErrorShape =
    err instanceof Error ? (err as Error & Ssh2ErrorShape) : { message: 'unknown error' };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const level = typeof e.level === 'string' ? e.level : undefined;
  const cause = { cause: err };
  switch (code) {
    case 'ECONNREFUSED':
      return new SshError(
        'connection-refused',
        `Connection to ${where} refused: nothing is listening there (is sshd running on port ${port}?)`,
        cause,
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'EADDRNOTAVAIL':
      return new SshError('host-unreachable', `Host ${where} is unreachable (${code})`, cause);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return new SshError(
        'dns',
        `Cannot resolve host name "${host}" (port ${port}): ${code === 'EAI_AGAIN' ? 'name server did not answer' : 'no such host'}`,
        cause,
      );
    case 'ETIMEDOUT':
      return new SshError('timeout', `Connection to ${where} timed out`, cause);
    case 'ECONNRESET':
    case 'EPIPE':
      return new SshError('connection-lost', `Connection to ${where} was reset (${code})`, cause);
  }
  if (level === 'client-dns') {
    return new SshError('dns', `Cannot resolve host name "${host}" (port ${port})`, cause);
  }
  if (level === 'client-timeout') {
    return new SshError(
      'timeout',
      `Timed out waiting for the SSH handshake with ${where} (${e.message})`,
      cause,
    );
  }
  if (/before handshake/i.test(e.message)) {
    return new SshError(
      'connection-lost',
      `${where} closed the connection before the SSH handshake (is it an SSH server?)`,
      cause,
    );
  }
  if (level === 'protocol' || level === 'handshake') {
    return new SshError('protocol', `SSH handshake with ${where} failed: ${e.message}`, cause);
  }
  return new SshError('connection-lost', `SSH connection to ${where} failed: ${e.message}`, cause);
}
