import { TransportError } from '../errors';
import type { LibvirtStream } from './libvirt-stream';
import type { ProcedureInfo } from './procedure';

export interface CallOptions {
  /** Fail with a TransportError('timeout') after this long, queue time included. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Overtake queued calls; default: the procedure's `@priority: high`. */
  priority?: boolean;
}

export interface StreamCallOptions extends CallOptions {
  /** The call asked for a sparse stream (…_SPARSE_STREAM flag): holes are allowed. */
  sparse?: boolean;
}

export interface StreamCallResult<R> {
  ret: R;
  stream: LibvirtStream;
}

export function abortError(
  proc: { name: string },
  signal: AbortSignal | undefined,
): TransportError {
  return new TransportError(`${proc.name}: aborted`, 'aborted', { cause: signal?.reason });
}

/**
 * One call from enqueue to settlement. Its timeout and AbortSignal call `onAbandon`,
 * which decides what giving up means for the queue; settling happens exactly once.
 */
export class PendingCall {
  /** Assigned when the CALL is written. */
  serial: number | null = null;
  private done = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onAbort: () => void;

  constructor(
    readonly proc: ProcedureInfo<unknown, unknown>,
    readonly body: Uint8Array,
    readonly stream: LibvirtStream | null,
    private readonly resolve: (ret: unknown) => void,
    private readonly reject: (err: Error) => void,
    private readonly options: CallOptions,
    onAbandon: (call: PendingCall, err: Error) => void,
  ) {
    const { timeoutMs, signal } = options;
    this.onAbort = () => onAbandon(this, abortError(proc, signal));
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (timeoutMs !== undefined) {
      this.timer = setTimeout(
        () =>
          onAbandon(
            this,
            new TransportError(`${proc.name}: no reply within ${timeoutMs} ms`, 'timeout'),
          ),
        timeoutMs,
      );
    }
  }

  get settled(): boolean {
    return this.done;
  }

  get priority(): boolean {
    return this.options.priority ?? this.proc.priority === 'high';
  }

  settle(err: Error | null, value?: unknown): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (err) this.reject(err);
    else this.resolve(value);
  }
}
