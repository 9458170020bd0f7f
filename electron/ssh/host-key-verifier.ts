import type { SshPrompter } from '../libvirt/transport/transport-types';
import { fingerprintSha256, keyTypeOfBlob } from './host-key-fingerprint';
import { checkHostKey, knownKeyTypesFor } from './known-hosts-check';
import type { HostKeyCheck } from './known-hosts-check';
import { appendKnownHostsLine, formatKnownHostsLine, readKnownHostsText } from './known-hosts-file';
import { parseKnownHosts } from './known-hosts-parse';
import type { ParsedKnownHosts } from './known-hosts-parse';
import { SshError, formatEndpoint } from './ssh-error';

export interface HostKeyPolicy {
  host: string;
  port: number;
  /** The user's file: read, and appended to when the user accepts a new key. */
  knownHostsFile: string;
  /** Read-only extra files (e.g. /etc/ssh/ssh_known_hosts). */
  globalKnownHostsFiles?: string[];
  prompter?: SshPrompter;
  /** Bracket every question to the user, so connect timeouts can pause meanwhile. */
  whilePrompting?: <T>(ask: () => Promise<T>) => Promise<T>;
}

interface LoadedFile {
  path: string;
  parsed: ParsedKnownHosts;
}

/**
 * Checks one hop's host key against known_hosts (ssh2 leaves this to us). A failure is
 * kept in `failure` because ssh2 only reports "verification failed".
 */
export class HostKeyVerifier {
  failure: SshError | undefined;
  private files: LoadedFile[] = [];

  constructor(private readonly policy: HostKeyPolicy) {}

  async load(): Promise<void> {
    const paths = [this.policy.knownHostsFile, ...(this.policy.globalKnownHostsFiles ?? [])];
    this.files = await Promise.all(
      paths.map(async (path) => ({
        path,
        parsed: parseKnownHosts(await readKnownHostsText(path)),
      })),
    );
  }

  /** Key types already trusted for this host, to be offered first in the handshake. */
  knownKeyTypes(): string[] {
    const { host, port } = this.policy;
    return [...new Set(this.files.flatMap((f) => knownKeyTypesFor(f.parsed, host, port)))];
  }

  /** ssh2 `hostVerifier`: receives the raw public key blob. */
  readonly verify = (key: Buffer, done: (ok: boolean) => void): void => {
    this.decide(key).then(
      () => done(true),
      (err: unknown) => {
        this.failure =
          err instanceof SshError
            ? err
            : new SshError('host-key-rejected', `Host key check failed: ${describe(err)}`, {
                cause: err,
              });
        done(false);
      },
    );
  };

  private async decide(key: Buffer): Promise<void> {
    const { host, port, prompter } = this.policy;
    const where = formatEndpoint(host, port);
    const keyType = keyTypeOfBlob(key);
    if (keyType === null) {
      throw new SshError('protocol', `${where} sent an unreadable host key`);
    }
    const fingerprint = fingerprintSha256(key);
    const verdict = this.lookup(keyType, key);
    if (verdict.check.status === 'trusted') return;
    if (verdict.check.status === 'revoked') {
      throw new SshError(
        'host-key-revoked',
        `The ${keyType} host key of ${where} (${fingerprint}) is marked @revoked in ` +
          `${verdict.path} line ${verdict.check.entry.line}. Refusing to connect.`,
      );
    }
    if (verdict.check.status === 'changed') {
      throw new SshError(
        'host-key-changed',
        `WARNING: the ${keyType} host key of ${where} has CHANGED. Someone could be ` +
          `intercepting the connection, or the host was reinstalled. The server now offers ` +
          `${fingerprint}; the old key is in ${verdict.path} line ${verdict.check.entry.line}. ` +
          `Connection refused. If the change is expected, remove that line (ssh-keygen -R) ` +
          `and connect again.`,
      );
    }
    const unknown = verdict.check;
    const caNote =
      unknown.ignoredCertAuthorities > 0
        ? ` (${unknown.ignoredCertAuthorities} @cert-authority line(s) match this host, but ` +
          `host certificates are not supported, so they cannot vouch for it)`
        : '';
    if (!prompter) {
      throw new SshError(
        'host-key-unknown',
        `The authenticity of ${where} cannot be established: its ${keyType} key ` +
          `${fingerprint} is not in ${this.policy.knownHostsFile}${caNote}, and there is ` +
          `no one to ask. Refusing to connect.`,
      );
    }
    const info = { host, port, keyType, fingerprintSha256: fingerprint };
    const ask = () => prompter.confirmHostKey(info);
    const accepted = await (this.policy.whilePrompting ? this.policy.whilePrompting(ask) : ask());
    if (!accepted) {
      throw new SshError(
        'host-key-rejected',
        `The ${keyType} host key ${fingerprint} of ${where} was not accepted${caNote}.`,
      );
    }
    await this.remember(keyType, key);
  }

  private lookup(keyType: string, key: Buffer): { check: HostKeyCheck; path: string } {
    const { host, port } = this.policy;
    const checks = this.files.map((f) => ({
      check: checkHostKey(f.parsed, host, port, keyType, key),
      path: f.path,
    }));
    const rank = { revoked: 0, trusted: 1, changed: 2, unknown: 3 } as const;
    checks.sort((a, b) => rank[a.check.status] - rank[b.check.status]);
    const unknownCas = checks.reduce(
      (n, c) => n + (c.check.status === 'unknown' ? c.check.ignoredCertAuthorities : 0),
      0,
    );
    const best = checks[0] ?? {
      check: { status: 'unknown' as const, otherKeyTypes: [], ignoredCertAuthorities: 0 },
      path: this.policy.knownHostsFile,
    };
    if (best.check.status === 'unknown') {
      return { check: { ...best.check, ignoredCertAuthorities: unknownCas }, path: best.path };
    }
    return best;
  }

  private async remember(keyType: string, key: Buffer): Promise<void> {
    const { host, port, knownHostsFile } = this.policy;
    try {
      // Another connection may have recorded the key while the user was deciding.
      const fresh = parseKnownHosts(await readKnownHostsText(knownHostsFile));
      if (checkHostKey(fresh, host, port, keyType, key).status === 'trusted') return;
      await appendKnownHostsLine(knownHostsFile, formatKnownHostsLine(host, port, keyType, key));
    } catch (err) {
      throw new SshError(
        'known-hosts-write',
        `The host key of ${formatEndpoint(host, port)} was accepted but could not be saved ` +
          `to ${knownHostsFile}: ${describe(err)}`,
        { cause: err },
      );
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : 'unknown error';
}
