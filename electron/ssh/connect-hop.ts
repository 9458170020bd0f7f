// ssh2 is CommonJS: Node's ESM loader only sees its default export.
import ssh2 from 'ssh2';
import type { Client, ServerHostKeyAlgorithm } from 'ssh2';
import type { Duplex } from 'node:stream';
import type { SshPrompter } from '../libvirt/transport/transport-types';
import { classifyConnectError } from './classify-connect-error';
import { HostKeyVerifier } from './host-key-verifier';
import { PausableDeadline } from './pausable-deadline';
import { SshAuthenticator } from './ssh-authenticator';
import { SshError, formatEndpoint } from './ssh-error';

export interface HopTarget {
  host: string;
  port: number;
  username: string;
  /** Keys for this hop only (ssh_config per-host IdentityFile); default: the shared list. */
  identityFiles?: string[];
}

/** What every hop of one connection shares: trust store, credentials, the user. */
export interface HopSecurity {
  knownHostsFile: string;
  globalKnownHostsFiles: string[];
  agent: string | null;
  identityFiles: string[];
  prompter?: SshPrompter;
  readyTimeoutMs: number;
}

/** ssh2's default host key algorithms, in its order (ed25519 is always available on Node 20). */
const HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * Like OpenSSH, ask first for the key types we already trust for this host, so a host
 * known by its RSA key is not reported as "unknown" just because it also has ed25519.
 */
export function preferKnownHostKeyAlgorithms(
  knownKeyTypes: readonly string[],
): ServerHostKeyAlgorithm[] {
  const first: string[] = knownKeyTypes.flatMap((t) =>
    t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t],
  );
  const preferred = HOST_KEY_ALGORITHMS.filter((a) => first.includes(a));
  return [...preferred, ...HOST_KEY_ALGORITHMS.filter((a) => !preferred.includes(a))];
}

/**
 * Opens and authenticates one ssh2 Client, over TCP or over `sock` (a forwarded channel
 * of the previous hop). Resolves once authenticated; rejects with an SshError.
 */
export async function connectHop(
  target: HopTarget,
  security: HopSecurity,
  sock?: Duplex,
): Promise<Client> {
  const { host, port, username } = target;
  const endpoint = formatEndpoint(host, port);
  const client = new ssh2.Client();
  let settled = false;
  let fatal: SshError | undefined;

  return new Promise<Client>((resolve, reject) => {
    const fail = (err: SshError): void => {
      if (settled) return;
      settled = true;
      deadline.cancel();
      client.removeListener('ready', onReady);
      // Keep swallowing late errors of a client we are abandoning.
      client.on('error', () => undefined);
      client.destroy();
      reject(err);
    };
    const deadline = new PausableDeadline(security.readyTimeoutMs, () => {
      fatal = new SshError(
        'timeout',
        `Timed out after ${security.readyTimeoutMs} ms connecting to ${endpoint} ` +
          `(TCP connect, SSH handshake and authentication)`,
      );
      fail(fatal);
    });
    const whilePrompting = <T>(ask: () => Promise<T>): Promise<T> => deadline.whilePaused(ask);
    const verifier = new HostKeyVerifier({
      host,
      port,
      knownHostsFile: security.knownHostsFile,
      globalKnownHostsFiles: security.globalKnownHostsFiles,
      prompter: security.prompter,
      whilePrompting,
    });
    const authenticator = new SshAuthenticator({
      username,
      endpoint,
      agent: security.agent,
      identityFiles: target.identityFiles ?? security.identityFiles,
      prompter: security.prompter,
      whilePrompting,
      onAbort: () => fail(authenticator.failure()),
    });

    const onReady = (): void => {
      if (settled) return;
      settled = true;
      deadline.cancel();
      resolve(client);
    };
    client.on('ready', onReady);
    client.on('error', (err: Error & { level?: string }) => {
      if (settled) return;
      if (err.level === 'agent') {
        authenticator.note(`ssh-agent: ${err.message}`);
        return;
      }
      if (err.level === 'client-authentication') {
        if (/All configured authentication methods failed/.test(err.message)) {
          fail(authenticator.failure());
        } else {
          authenticator.note(err.message);
        }
        return;
      }
      if (/Host denied/.test(err.message)) {
        fail(
          verifier.failure ??
            new SshError('host-key-rejected', `Host key of ${endpoint} rejected`, { cause: err }),
        );
        return;
      }
      fail(classifyConnectError(err, host, port));
    });
    client.on('close', () => {
      fail(
        fatal ??
          authenticator.abort ??
          verifier.failure ??
          new SshError('connection-lost', `${endpoint} closed the connection during set-up`),
      );
    });

    verifier.load().then(
      () => {
        if (settled) return;
        deadline.start();
        client.connect({
          host,
          port,
          username,
          sock,
          readyTimeout: 0,
          keepaliveInterval: 15_000,
          keepaliveCountMax: 3,
          hostVerifier: verifier.verify,
          authHandler: authenticator.handler,
          algorithms: { serverHostKey: preferKnownHostKeyAlgorithms(verifier.knownKeyTypes()) },
        });
        // Without it every small RPC waits ~40 ms for Nagle + delayed ACK (libvirt-rpc.md
        // 2.2); it also speeds up the handshake. On a jump channel it is a no-op: the
        // first hop's TCP socket carries everything.
        client.setNoDelay(true);
      },
      (err: unknown) =>
        fail(
          new SshError(
            'invalid-input',
            `Cannot read known_hosts (${security.knownHostsFile}): ${err instanceof Error ? err.message : 'error'}`,
            { cause: err },
          ),
        ),
    );
  });
}
