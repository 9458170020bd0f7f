/**
 * A timeout that stops counting while the user is being asked something: a connect
 * timeout measures the network and the server, not how long someone takes to type a
 * password. Pauses nest.
 */
export class PausableDeadline {
  private timer: NodeJS.Timeout | undefined;
  private remaining: number;
  private runningSince = 0;
  private pauses = 0;
  private done = false;

  constructor(
    ms: number,
    private readonly onExpire: () => void,
  ) {
    this.remaining = ms;
  }

  start(): void {
    if (this.remaining > 0 && this.pauses === 0) this.arm();
  }

  pause(): void {
    if (this.done) return;
    if (this.pauses++ === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.remaining -= Date.now() - this.runningSince;
    }
  }

  resume(): void {
    if (this.done || this.pauses === 0) return;
    if (--this.pauses === 0) this.arm();
  }

  cancel(): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Runs `ask` with the clock stopped. */
  async whilePaused<T>(ask: () => Promise<T>): Promise<T> {
    this.pause();
    try {
      return await ask();
    } finally {
      this.resume();
    }
  }

  private arm(): void {
    if (this.done) return;
    this.runningSince = Date.now();
    this.timer = setTimeout(
      () => {
        this.done = true;
        this.onExpire();
      },
      Math.max(this.remaining, 0),
    );
  }
}
