import type { AnyAuthMethod, AuthHandlerMiddleware, AuthenticationType, Prompt } from 'ssh2';
import type { SshPrompter } from '../libvirt/transport/transport-types';
import { loadIdentity } from './identity-keys';
import type { IdentityLoad } from './identity-keys';
import { SshError } from './ssh-error';

export interface AuthPlan {
  username: string;
  /** "host:port", for messages. */
  endpoint: string;
  /** ssh-agent socket, or null for none. */
  agent: string | null;
  identityFiles: string[];
  prompter?: SshPrompter;
  whilePrompting: <T>(ask: () => Promise<T>) => Promise<T>;
  /** Called when the user cancels inside a keyboard-interactive round: end the connection. */
  onAbort: () => void;
}

const MAX_SECRET_TRIES = 3;

/**
 * ssh2 `authHandler` that walks the methods in OpenSSH's order — none (to learn what the
 * server accepts), publickey (agent, then identity files), keyboard-interactive, password —
 * and keeps a log of what was tried so a failure can say exactly that.
 */
export class SshAuthenticator {
  /** Set when authentication must stop with this error rather than ssh2's generic one. */
  abort: SshError | undefined;
  private serverMethods: AuthenticationType[] | null = null;
  private started = false;
  private agentTried = false;
  private identityIndex = 0;
  private keyboardTries = 0;
  private passwordTries = 0;
  private readonly refusedKeys: string[] = [];
  private readonly tried: string[] = [];
  private readonly notes: string[] = [];

  constructor(private readonly plan: AuthPlan) {}

  readonly handler: AuthHandlerMiddleware = (methodsLeft, _partial, next) => {
    // ssh2 accepts `false` for "no more methods", which its type definitions omit.
    const send = next as (method: AnyAuthMethod | false) => void;
    if (!this.started) {
      this.started = true;
      send({ type: 'none', username: this.plan.username });
      return;
    }
    // ssh2 passes null on the first call even though its types say otherwise.
    if (Array.isArray(methodsLeft)) this.serverMethods = methodsLeft;
    this.nextMethod().then(
      (method) => send(method ?? false),
      (err: unknown) => {
        this.abort =
          err instanceof SshError
            ? err
            : new SshError('auth-failed', `Authentication error: ${describe(err)}`);
        send(false);
      },
    );
  };

  /** ssh2 reports agent trouble as a non-fatal 'error' event; keep it for the summary. */
  note(message: string): void {
    this.notes.push(message);
  }

  /** The error for "every method failed", listing what was tried. */
  failure(): SshError {
    if (this.abort) return this.abort;
    const parts = [`Authentication failed for ${this.plan.username}@${this.plan.endpoint}.`];
    parts.push(this.tried.length ? `Tried: ${this.tried.join(', ')}.` : 'Nothing could be tried.');
    if (this.refusedKeys.length) {
      parts.push(`The server refused key(s): ${this.refusedKeys.join(', ')}.`);
    }
    if (this.serverMethods) {
      parts.push(`The server accepts: ${this.serverMethods.join(', ') || 'nothing'}.`);
    }
    if (this.notes.length) parts.push(`Notes: ${this.notes.join('; ')}.`);
    return new SshError('auth-failed', parts.join(' '));
  }

  private allows(method: AuthenticationType): boolean {
    return this.serverMethods === null || this.serverMethods.includes(method);
  }

  private async nextMethod(): Promise<AnyAuthMethod | null> {
    if (this.abort) return null;
    const { username, prompter } = this.plan;
    if (this.allows('publickey')) {
      if (this.plan.agent && !this.agentTried) {
        this.agentTried = true;
        this.tried.push('publickey via ssh-agent');
        return { type: 'agent', username, agent: this.plan.agent };
      }
      while (this.identityIndex < this.plan.identityFiles.length) {
        const path = this.plan.identityFiles[this.identityIndex++] as string;
        const loaded: IdentityLoad = await loadIdentity(
          path,
          prompter
            ? (prompt) =>
                this.plan.whilePrompting(() =>
                  prompter.askSecret({ kind: 'passphrase', prompt, echo: false }),
                )
            : undefined,
        );
        if (loaded.kind === 'skipped') {
          this.notes.push(`${loaded.path} skipped: ${loaded.reason}`);
          continue;
        }
        const label = `${loaded.identity.path} (${loaded.identity.fingerprint})`;
        this.tried.push(`publickey ${label}`);
        this.refusedKeys.push(label);
        return { type: 'publickey', username, key: loaded.identity.key };
      }
    }
    if (prompter && this.allows('keyboard-interactive') && this.keyboardTries < MAX_SECRET_TRIES) {
      this.keyboardTries++;
      if (this.keyboardTries === 1) this.tried.push('keyboard-interactive');
      return {
        type: 'keyboard-interactive',
        username,
        prompt: (_name, _instructions, _lang, prompts, finish) => {
          this.answerPrompts(prompter, prompts).then(finish, (err: unknown) => {
            this.abort =
              err instanceof SshError
                ? err
                : new SshError('auth-failed', `Authentication error: ${describe(err)}`);
            this.plan.onAbort();
          });
        },
      };
    }
    if (prompter && this.allows('password') && this.passwordTries < MAX_SECRET_TRIES) {
      this.passwordTries++;
      if (this.passwordTries === 1) this.tried.push('password');
      const retry = this.passwordTries > 1 ? ' (try again)' : '';
      const password = await this.plan.whilePrompting(() =>
        prompter.askSecret({
          kind: 'password',
          prompt: `${username}@${this.plan.endpoint}'s password${retry}:`,
          echo: false,
        }),
      );
      if (password === null) throw this.cancelled('password');
      return { type: 'password', username, password };
    }
    return null;
  }

  private async answerPrompts(prompter: SshPrompter, prompts: Prompt[]): Promise<string[]> {
    const answers: string[] = [];
    for (const p of prompts) {
      const answer = await this.plan.whilePrompting(() =>
        prompter.askSecret({
          kind: 'keyboard-interactive',
          prompt: p.prompt,
          echo: p.echo === true,
        }),
      );
      if (answer === null) throw this.cancelled('keyboard-interactive');
      answers.push(answer);
    }
    return answers;
  }

  private cancelled(what: string): SshError {
    return new SshError(
      'auth-cancelled',
      `Authentication cancelled (${what} for ${this.plan.username}@${this.plan.endpoint}).`,
    );
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : 'unknown error';
}
