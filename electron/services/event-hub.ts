import type { EventEnvelope, EventMap, EventName } from '../../shared/contract/events';
import type { Logger } from './logger';

export type EventListener = (event: EventEnvelope) => void;

/**
 * Fans every contract event out to whoever listens: Electron windows, web-host sockets,
 * tests. Services emit; hosts subscribe. Synchronous and unbuffered — a host that must
 * hold events until its renderer is ready does that itself (see EventGate).
 */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly logger: Logger) {}

  emit<E extends EventName>(name: E, payload: EventMap[E]): void {
    const envelope: EventEnvelope<E> = { name, payload };
    // A copy, so a listener that unsubscribes while being called does not skip another.
    for (const listener of [...this.listeners]) {
      try {
        listener(envelope);
      } catch (err) {
        // One broken listener (a closed socket, a destroyed window) must not starve the rest.
        this.logger.error(`An event listener failed on '${name}'`, err);
      }
    }
  }

  /** Returns the disposer; calling it twice is harmless. */
  subscribe(listener: EventListener): () => void {
    // Wrapped so the same function subscribed twice gets two independent subscriptions.
    const entry: EventListener = (event) => listener(event);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
