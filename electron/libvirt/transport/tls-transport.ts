import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { TransportError } from '../errors';
import { describeSocketError, type ConnectOptions } from './connect-socket';
import type { Transport } from './transport-types';

/** libvirtd's TLS listener (LIBVIRTD_TLS_PORT). */
export const LIBVIRT_TLS_PORT = 16514;

export interface TlsCredentialFiles {
  readonly ca: string;
  readonly crl: string;
  readonly cert: string;
  readonly key: string;
}

export interface TlsLocation {
  /** ?pkipath= */
  pkipath?: string;
  euid?: number;
  home?: string;
  exists?: (path: string) => boolean;
}

const SYSTEM_FILES: TlsCredentialFiles = {
  ca: '/etc/pki/CA/cacert.pem',
  crl: '/etc/pki/CA/cacrl.pem',
  cert: '/etc/pki/libvirt/clientcert.pem',
  key: '/etc/pki/libvirt/private/clientkey.pem',
};

function filesIn(dir: string): TlsCredentialFiles {
  return {
    ca: join(dir, 'cacert.pem'),
    crl: join(dir, 'cacrl.pem'),
    cert: join(dir, 'clientcert.pem'),
    key: join(dir, 'clientkey.pem'),
  };
}

/**
 * Where libvirt's client looks for its TLS files (virNetTLSContextLocateCredentials):
 * ?pkipath= alone if given; root uses the system paths; other users use ~/.pki/libvirt,
 * file by file (certificate and key as a pair), falling back to the system paths.
 */
export function locateTlsCredentials(location: TlsLocation = {}): TlsCredentialFiles {
  if (location.pkipath) return filesIn(location.pkipath);
  const euid = location.euid ?? process.geteuid?.() ?? 0;
  if (euid === 0) return SYSTEM_FILES;
  const exists = location.exists ?? existsSync;
  const user = filesIn(join(location.home ?? homedir(), '.pki', 'libvirt'));
  const pair = exists(user.cert) && exists(user.key);
  return {
    ca: exists(user.ca) ? user.ca : SYSTEM_FILES.ca,
    crl: exists(user.crl) ? user.crl : SYSTEM_FILES.crl,
    cert: pair ? user.cert : SYSTEM_FILES.cert,
    key: pair ? user.key : SYSTEM_FILES.key,
  };
}

function readCredential(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new TransportError(
      `Cannot read ${what} '${path}': ${describeSocketError(err as Error)}`,
      'config',
      { cause: err },
    );
  }
}

export interface TlsTransportOptions extends ConnectOptions {
  host: string;
  port?: number;
  files: TlsCredentialFiles;
  /** ?no_verify=1: do not verify the server's certificate. */
  noVerify?: boolean;
}

/**
 * qemu+tls://: TLS with an x509 client certificate. After the handshake libvirtd checks our
 * certificate and sends one byte, 1, when it accepts us; only then does RPC start.
 */
export async function openTlsTransport(options: TlsTransportOptions): Promise<Transport> {
  const { host, files, noVerify = false, timeoutMs = 30_000, signal } = options;
  const port = options.port ?? LIBVIRT_TLS_PORT;
  const ca =
    noVerify && !existsSync(files.ca) ? undefined : readCredential(files.ca, 'CA certificate');
  const cert = readCredential(files.cert, 'client certificate');
  const key = readCredential(files.key, 'client private key');
  const crl = existsSync(files.crl) ? readCredential(files.crl, 'CA revocation list') : undefined;
  const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

  const socket = await new Promise<TLSSocket>((resolve, reject) => {
    const s = connect({
      host,
      port,
      ca,
      cert,
      key,
      crl,
      servername: isIP(host) ? undefined : host,
      rejectUnauthorized: !noVerify,
      minVersion: 'TLSv1.2',
    });
    const fail = (why: string, cause?: unknown): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      s.destroy();
      reject(
        new TransportError(`TLS connection to '${target}' failed: ${why}`, 'connect', { cause }),
      );
    };
    const onAbort = (): void => fail('aborted', signal?.reason);
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    s.once('error', (err) => fail(describeSocketError(err), err));
    s.once('secureConnect', () => {
      awaitConfirmation(s).then(
        () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          s.removeAllListeners('error');
          s.setNoDelay(true);
          resolve(s);
        },
        (err: Error) => fail(err.message, err),
      );
    });
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  return { stream: socket, description: `tls:${target}`, close: () => socket.destroy() };
}

/** Reads libvirtd's one-byte verdict on our certificate; any rest stays in the stream. */
function awaitConfirmation(s: TLSSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    const tryRead = (): void => {
      const byte = s.read(1) as Buffer | null;
      if (byte === null) return;
      s.off('readable', tryRead);
      s.off('end', onEnd);
      if (byte[0] === 1) resolve();
      else reject(new Error('server verification (of our certificate or IP address) failed'));
    };
    const onEnd = (): void =>
      reject(
        new Error(
          'the server closed the connection after the handshake: it did not accept our client ' +
            'certificate or address',
        ),
      );
    s.on('readable', tryRead);
    s.once('end', onEnd);
  });
}
