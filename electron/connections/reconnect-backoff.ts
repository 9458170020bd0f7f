export interface BackoffPolicy {
  /** Delay before the first retry (ms). */
  initialMs: number;
  /** No delay is ever longer (ms). */
  maxMs: number;
  /** ± share of each delay drawn at random, so many clients do not retry in step. */
  jitter: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000, jitter: 0.2 };

/**
 * The wait before reconnect attempt `attempt` (1-based): 1 s, 2 s, 4 s, … doubling up to
 * 30 s, each spread by ±20 % (never above the cap). `random` is in [0, 1).
 */
export function reconnectDelayMs(
  attempt: number,
  policy: BackoffPolicy = defaultBackoff,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  }
  // Capped before doubling further, so a long outage cannot overflow to Infinity.
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt - 1, 30));
  const spread = 1 + policy.jitter * (2 * random() - 1);
  return Math.round(Math.min(policy.maxMs, base * spread));
}
