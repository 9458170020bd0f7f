/**
 * Holds items until a receiver is ready, then delivers them in order and passes later ones
 * straight through. Electron uses one per window so events emitted while the renderer is
 * still loading are not lost (the renderer subscribes only once its scripts run).
 */
export class EventGate<T> {
  private pending: T[] = [];
  private deliver: ((item: T) => void) | null = null;

  constructor(private readonly limit = 1000) {}

  push(item: T): void {
    if (this.deliver) {
      this.deliver(item);
      return;
    }
    this.pending.push(item);
    // A renderer that never becomes ready must not grow memory without bound; the oldest
    // events are the least useful (later ones carry the newer state).
    if (this.pending.length > this.limit) this.pending.shift();
  }

  open(deliver: (item: T) => void): void {
    const queued = this.pending;
    this.pending = [];
    this.deliver = deliver;
    for (const item of queued) deliver(item);
  }

  /** Back to holding, e.g. while the window reloads. */
  close(): void {
    this.deliver = null;
  }

  get queued(): number {
    return this.pending.length;
  }
}
