import { randomUUID } from 'node:crypto';
import type {
  ConnectionPrompt,
  PromptAnswer,
  PromptClosedReason,
} from '../../shared/contract/connections';
import { VirtDeckError } from '../../shared/contract/errors';
import type { EventHub } from '../services/event-hub';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A prompt before the broker gives it an id and a deadline. */
export type PromptQuestion = DistributiveOmit<ConnectionPrompt, 'promptId' | 'expiresAt'>;

export type PromptReply =
  | { type: 'answer'; answer: string; remember: boolean }
  | { type: 'accept' }
  | { type: 'cancel'; reason: Exclude<PromptClosedReason, 'answered'> };

export interface PromptBrokerOptions {
  events: EventHub;
  /** How long a question waits for the user before it counts as cancelled. */
  timeoutMs?: number;
  now?: () => number;
}

interface Pending {
  prompt: ConnectionPrompt;
  settle: (reply: PromptReply) => void;
}

export const DEFAULT_PROMPT_TIMEOUT_MS = 5 * 60_000;

/**
 * Carries SSH questions (host key, password, passphrase, keyboard-interactive) from a
 * connection attempt to whichever window answers: each question is pushed as
 * 'connection:prompt' and waits for 'connection:answerPrompt', a cancel, its connection
 * being disconnected, or its deadline.
 */
export class PromptBroker {
  private readonly pending = new Map<string, Pending>();
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: PromptBrokerOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PROMPT_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  /** Pushes the question and resolves with the user's reply (never rejects). */
  ask(question: PromptQuestion, onOpen?: (prompt: ConnectionPrompt) => void): Promise<PromptReply> {
    const prompt = {
      ...question,
      promptId: randomUUID(),
      expiresAt: this.now() + this.timeoutMs,
    } as ConnectionPrompt;
    return new Promise<PromptReply>((resolve) => {
      const timer = setTimeout(() => settle({ type: 'cancel', reason: 'timeout' }), this.timeoutMs);
      const settle = (reply: PromptReply): void => {
        if (!this.pending.delete(prompt.promptId)) return;
        clearTimeout(timer);
        const reason: PromptClosedReason = reply.type === 'cancel' ? reply.reason : 'answered';
        this.options.events.emit('connection:promptClosed', {
          promptId: prompt.promptId,
          connectionId: prompt.connectionId,
          reason,
        });
        resolve(reply);
      };
      this.pending.set(prompt.promptId, { prompt, settle });
      onOpen?.(prompt);
      this.options.events.emit('connection:prompt', prompt);
    });
  }

  /** The user's answer; an unknown or expired prompt, or the wrong kind of answer, throws. */
  answer(input: PromptAnswer): void {
    const entry = this.pending.get(input.promptId);
    if (!entry) {
      throw new VirtDeckError({
        kind: 'validation',
        message: 'This question is no longer open (it was answered, cancelled or timed out)',
        path: 'promptId',
      });
    }
    const isHostKey = entry.prompt.kind === 'host-key';
    if (input.action === 'cancel') {
      entry.settle({ type: 'cancel', reason: 'cancelled' });
    } else if (input.action === 'accept') {
      if (!isHostKey) throw wrongAnswer('a host key question', 'accept');
      entry.settle({ type: 'accept' });
    } else {
      if (isHostKey) throw wrongAnswer('a password question', 'answer');
      entry.settle({ type: 'answer', answer: input.answer, remember: input.remember });
    }
  }

  /** Cancels every open question of a connection (it is being disconnected or deleted). */
  cancelFor(connectionId: string): void {
    for (const entry of [...this.pending.values()]) {
      if (entry.prompt.connectionId === connectionId) {
        entry.settle({ type: 'cancel', reason: 'cancelled' });
      }
    }
  }

  /** The question a connection is waiting on, for a window that (re)loads meanwhile. */
  openPrompt(connectionId: string): ConnectionPrompt | null {
    for (const entry of this.pending.values()) {
      if (entry.prompt.connectionId === connectionId) return entry.prompt;
    }
    return null;
  }

  dispose(): void {
    for (const entry of [...this.pending.values()]) {
      entry.settle({ type: 'cancel', reason: 'cancelled' });
    }
  }
}

function wrongAnswer(expected: string, action: string): VirtDeckError {
  return new VirtDeckError({
    kind: 'validation',
    message: `'${action}' is only an answer to ${expected}`,
    path: 'action',
  });
}
