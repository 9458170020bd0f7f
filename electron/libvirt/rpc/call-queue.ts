/**
 * Admission control for calls on one connection. The daemon stops reading a client that
 * has `max_client_requests` (default 5) messages pending, which also stalls keepalive, so
 * we keep at most `limit` calls in flight and hold the rest here. Priority calls (cheap
 * lookups, destroy, close) overtake queued normal calls but never exceed the limit.
 */
export class CallQueue<T> {
  private readonly high: T[] = [];
  private readonly normal: T[] = [];
  private running = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`in-flight limit must be a positive integer, got ${limit}`);
    }
  }

  get inFlight(): number {
    return this.running;
  }

  get waiting(): number {
    return this.high.length + this.normal.length;
  }

  enqueue(item: T, priority: boolean): void {
    (priority ? this.high : this.normal).push(item);
  }

  /** Takes the next waiting item if a slot is free; the caller must `release()` it later. */
  next(): T | undefined {
    if (this.running >= this.limit) return undefined;
    const item = this.high.length > 0 ? this.high.shift() : this.normal.shift();
    if (item !== undefined) this.running++;
    return item;
  }

  /** Removes an item that has not been started yet; false if it was not waiting. */
  remove(item: T): boolean {
    for (const list of [this.high, this.normal]) {
      const i = list.indexOf(item);
      if (i >= 0) {
        list.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  release(): void {
    if (this.running === 0) throw new Error('CallQueue.release() without a running call');
    this.running--;
  }

  /** Empties the queue (connection gone) and returns what was waiting, in order. */
  drainWaiting(): T[] {
    return [...this.high.splice(0), ...this.normal.splice(0)];
  }
}
