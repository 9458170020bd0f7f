export interface ReconnectBackoffOptions {
  /** Delay before the first retry after a link drops. */
  initialMs?: number;
  /** Ceiling: a web host that stays down is still retried this often. */
  maxMs?: number;
  factor?: number;
  /** Fraction of each delay that is randomised, so many tabs do not reconnect in lockstep. */
  jitter?: number;
  /** Returns a number in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/** Exponential backoff with jitter for the web bridge's reconnect loop. */
export class ReconnectBackoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private attempt = 0;

  constructor(options: ReconnectBackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 10_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.2;
    this.random = options.random ?? Math.random;
    if (!(this.initialMs > 0 && this.maxMs >= this.initialMs && this.factor >= 1)) {
      throw new RangeError('ReconnectBackoff needs 0 < initialMs <= maxMs and factor >= 1');
    }
    if (!(this.jitter >= 0 && this.jitter < 1)) {
      throw new RangeError('ReconnectBackoff jitter must be in [0, 1)');
    }
  }

  /** The delay before the next attempt; each call counts as one more failed attempt. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt++;
    // Jitter only shortens the delay, so maxMs stays a true ceiling.
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  /** Called once a link is open again: the next drop starts from the short delay. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
