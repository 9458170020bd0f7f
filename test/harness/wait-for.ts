import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  /** What we are waiting for, for the timeout message ("libvirtd socket"). */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Extra text for the timeout error, e.g. a daemon's log tail. Called once, on timeout. */
  describeTimeout?: () => string | Promise<string>;
}

/**
 * Polls `probe` until it returns something other than `undefined` and returns that value.
 * A probe that throws ends the wait at once: "it will never happen" (a daemon that died)
 * must not be mistaken for "not yet".
 */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  options: WaitForOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 10;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      const extra = options.describeTimeout ? await options.describeTimeout() : '';
      throw new Error(
        `Timed out after ${options.timeoutMs} ms waiting for ${options.what}${extra ? `\n${extra}` : ''}`,
      );
    }
    await sleep(interval);
  }
}
