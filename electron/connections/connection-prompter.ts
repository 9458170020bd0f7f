import type { SshPrompter } from '../libvirt/transport/transport-types';
import type { PromptBroker } from './prompt-broker';
import type { SecretKind, SecretStore } from './secret-store';

export interface ConnectionPrompterOptions {
  connectionId: string;
  /** Read when asking: the alias may be renamed between attempts. */
  alias: () => string;
  broker: PromptBroker;
  /** Secrets that worked during this run, so a reconnect after a drop asks nobody. */
  sessionSecrets: SecretStore;
  /** The user's remembered secrets (encrypted on disk), when the host has a keyring. */
  rememberedSecrets: SecretStore | null;
  /** A question opened (its id) or was answered (null): drives the 'auth-needed' state. */
  onWaiting: (promptId: string | null) => void;
}

type AskInfo = Parameters<SshPrompter['askSecret']>[0];
type HostKeyInfo = Parameters<SshPrompter['confirmHostKey']>[0];

/**
 * The SshPrompter of one connection. A password or passphrase is first taken from this
 * run's secrets, then from the remembered ones, and only then asked; a known secret the
 * server refuses is forgotten and the user is asked instead. What the user typed is kept
 * once the attempt got past authentication (remembered on disk only if they asked).
 */
export class ConnectionPrompter implements SshPrompter {
  private triedKnown = new Set<SecretKind>();
  private usedKnown = new Set<SecretKind>();
  private answered = new Map<SecretKind, { secret: string; remember: boolean }>();

  constructor(private readonly options: ConnectionPrompterOptions) {}

  /** Call before each connection attempt. */
  beginAttempt(): void {
    this.triedKnown = new Set();
    this.usedKnown = new Set();
    this.answered = new Map();
  }

  /**
   * Call after an attempt: keeps what the user typed unless the attempt failed at
   * authentication (then the typed secret may be the wrong one).
   */
  async endAttempt(authFailed: boolean): Promise<void> {
    const answered = this.answered;
    this.answered = new Map();
    if (authFailed) return;
    const { connectionId, sessionSecrets, rememberedSecrets } = this.options;
    for (const [kind, { secret, remember }] of answered) {
      await sessionSecrets.set(connectionId, kind, secret);
      if (remember && rememberedSecrets) await rememberedSecrets.set(connectionId, kind, secret);
    }
  }

  async confirmHostKey(info: HostKeyInfo): Promise<boolean> {
    const reply = await this.ask({
      kind: 'host-key',
      host: info.host,
      port: info.port,
      keyType: info.keyType,
      fingerprint: info.fingerprintSha256,
    });
    return reply.type === 'accept';
  }

  async askSecret(info: AskInfo): Promise<string | null> {
    const kind = secretKindOf(info);
    if (kind) {
      const known = await this.knownSecret(kind);
      if (known !== undefined) return known;
    }
    const canRemember = kind !== null && this.options.rememberedSecrets !== null;
    const reply = await this.ask({
      kind: info.kind,
      prompt: info.prompt,
      echo: info.echo,
      canRemember,
    });
    if (reply.type !== 'answer') return null;
    if (kind) this.answered.set(kind, { secret: reply.answer, remember: reply.remember });
    return reply.answer;
  }

  /** The stored secret on the first question of an attempt; a second question means it failed. */
  private async knownSecret(kind: SecretKind): Promise<string | undefined> {
    const { connectionId, sessionSecrets, rememberedSecrets } = this.options;
    if (!this.triedKnown.has(kind)) {
      this.triedKnown.add(kind);
      const known =
        (await sessionSecrets.get(connectionId, kind)) ??
        (await rememberedSecrets?.get(connectionId, kind));
      if (known !== undefined) {
        this.usedKnown.add(kind);
        return known;
      }
    } else if (this.usedKnown.delete(kind)) {
      await sessionSecrets.delete(connectionId, kind);
      await rememberedSecrets?.delete(connectionId, kind);
    }
    return undefined;
  }

  private async ask(
    question:
      | { kind: 'host-key'; host: string; port: number; keyType: string; fingerprint: string }
      | { kind: AskInfo['kind']; prompt: string; echo: boolean; canRemember: boolean },
  ) {
    const { broker, connectionId, alias, onWaiting } = this.options;
    try {
      return await broker.ask({ ...question, connectionId, alias: alias() }, (prompt) =>
        onWaiting(prompt.promptId),
      );
    } finally {
      onWaiting(null);
    }
  }
}

/**
 * Which stored secret answers a question. A keyboard-interactive "Password:" question is
 * how many servers (PAM) ask for the password, so it shares the password.
 */
function secretKindOf(info: AskInfo): SecretKind | null {
  if (info.kind === 'password' || info.kind === 'passphrase') return info.kind;
  return !info.echo && /password/i.test(info.prompt) ? 'password' : null;
}
