import { performance } from 'node:perf_hooks';

export interface KeepaliveMonitorOptions {
  /** Silence (ms) after which we PING, and the spacing of further PINGs. */
  intervalMs: number;
  /** The peer is dead after `count` intervals of silence (at least one interval after a PING). */
  count: number;
  sendPing(): void;
  onDead(silentMs: number): void;
}

/**
 * Client-side dead-peer detection. Any packet from the peer counts as life (libvirt's rule),
 * so receiving costs only a timestamp; one timer re-checks when the next deadline is due.
 * With interval 5 s and count 3: PING at 5 s and 10 s of silence, dead at 15 s.
 */
export class KeepaliveMonitor {
  private lastReceived = performance.now();
  private firstPingAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private suspended = false;
  private readonly intervalMs: number;
  private readonly count: number;

  constructor(private readonly options: KeepaliveMonitorOptions) {
    if (!(options.intervalMs > 0)) {
      throw new RangeError(`keepalive interval must be positive, got ${options.intervalMs}`);
    }
    if (!Number.isInteger(options.count) || options.count < 1) {
      throw new RangeError(`keepalive count must be a positive integer, got ${options.count}`);
    }
    this.intervalMs = options.intervalMs;
    this.count = options.count;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer) return;
    this.lastReceived = performance.now();
    this.firstPingAt = null;
    this.schedule(this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  received(): void {
    this.lastReceived = performance.now();
    this.firstPingAt = null;
  }

  /**
   * While we deliberately stop reading the socket (stream backpressure) the peer's packets
   * sit unread, so silence proves nothing; resume counts from the moment reading resumes.
   */
  setSuspended(suspended: boolean): void {
    this.suspended = suspended;
    if (!suspended) this.received();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => this.check(), Math.max(1, delayMs));
    this.timer.unref();
  }

  private check(): void {
    this.timer = null;
    const now = performance.now();
    if (this.suspended) this.received();
    const silent = now - this.lastReceived;
    if (silent < this.intervalMs) {
      this.schedule(this.lastReceived + this.intervalMs - now);
      return;
    }
    if (this.firstPingAt !== null) {
      const deadline = Math.max(
        this.lastReceived + this.intervalMs * this.count,
        this.firstPingAt + this.intervalMs,
      );
      if (now >= deadline) {
        this.options.onDead(silent);
        return;
      }
    } else {
      this.firstPingAt = now;
    }
    this.options.sendPing();
    const deadline = Math.max(
      this.lastReceived + this.intervalMs * this.count,
      this.firstPingAt + this.intervalMs,
    );
    this.schedule(Math.min(this.intervalMs, deadline - now));
  }
}
