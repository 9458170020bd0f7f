import type { ChannelName, ContractError, Result, WireCall } from '../../../shared/contract';

interface PendingCall {
  readonly channel: ChannelName;
  readonly input: unknown;
  /** True once written to a socket: from then on only a reply or the loss of that socket ends it. */
  sent: boolean;
  readonly resolve: (result: Result<unknown>) => void;
}

/**
 * The calls the web bridge has accepted and not yet answered, keyed by the wire id the reply
 * echoes. A call is either queued (waiting for the link) or in flight (sent, waiting for its
 * result). Every call ends exactly once: by its reply, or by a transport error.
 */
export class PendingCalls {
  private nextId = 1;
  private readonly calls = new Map<number, PendingCall>();

  /** Registers a call as queued; the promise resolves when it is settled, never rejects. */
  add(channel: ChannelName, input: unknown): { id: number; result: Promise<Result<unknown>> } {
    const id = this.nextId++;
    const result = new Promise<Result<unknown>>((resolve) => {
      this.calls.set(id, { channel, input, sent: false, resolve });
    });
    return { id, result };
  }

  /** The queued calls as wire messages, oldest first (Map keeps insertion order). */
  queued(): WireCall[] {
    const out: WireCall[] = [];
    for (const [id, call] of this.calls) {
      if (!call.sent) out.push({ type: 'call', id, channel: call.channel, input: call.input });
    }
    return out;
  }

  markSent(id: number): void {
    const call = this.calls.get(id);
    if (call) call.sent = true;
  }

  /** Delivers a reply. Returns false for an id we are not waiting for (late or foreign). */
  settle(id: number, result: Result<unknown>): boolean {
    const call = this.calls.get(id);
    if (!call) return false;
    this.calls.delete(id);
    call.resolve(result);
    return true;
  }

  /** Fails a call only while it is still queued: once sent, its reply decides. */
  expireQueued(id: number, error: ContractError): boolean {
    const call = this.calls.get(id);
    if (!call || call.sent) return false;
    return this.settle(id, { ok: false, error });
  }

  /**
   * Fails every call that was sent on a socket that is now gone. They are not re-sent: the host
   * may already have run them, and repeating `vm:start` or `vm:delete` is not safe.
   */
  failInFlight(error: ContractError): number {
    return this.failWhere((call) => call.sent, error);
  }

  failAll(error: ContractError): number {
    return this.failWhere(() => true, error);
  }

  get size(): number {
    return this.calls.size;
  }

  get inFlight(): number {
    let count = 0;
    for (const call of this.calls.values()) if (call.sent) count++;
    return count;
  }

  private failWhere(predicate: (call: PendingCall) => boolean, error: ContractError): number {
    const ids = [...this.calls].filter(([, call]) => predicate(call)).map(([id]) => id);
    for (const id of ids) this.settle(id, { ok: false, error });
    return ids.length;
  }
}
