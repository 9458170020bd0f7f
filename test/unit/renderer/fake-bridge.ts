import {
  buildApi,
  channelNames,
  type ChannelName,
  type EventEnvelope,
  type EventMap,
  type EventName,
  type InputOf,
  type OutputOf,
  type Result,
  type VirtDeckBridge,
} from '../../../shared/contract';

type Handler<C extends ChannelName> = (input: InputOf<C>) => Promise<OutputOf<C>> | OutputOf<C>;

/**
 * A VirtDeckBridge for store tests: the border stub that stands where the preload or the web
 * host would be. Handlers answer calls as the main process would; `emit` pushes an event.
 * Calls without a handler fail the way a real host reports an unknown channel.
 */
export class FakeBridge implements VirtDeckBridge {
  readonly calls: Array<{ channel: ChannelName; input: unknown }> = [];
  readonly api = buildApi(channelNames, (channel, input) => this.dispatch(channel, input));
  private readonly handlers = new Map<ChannelName, (input: unknown) => Promise<Result<unknown>>>();
  private readonly listeners = new Set<(event: EventEnvelope) => void>();

  handle<C extends ChannelName>(channel: C, handler: Handler<C>): this {
    this.handlers.set(channel, async (input) => ({
      ok: true,
      value: await handler(input as InputOf<C>),
    }));
    return this;
  }

  /** Makes a channel answer with an error result, as the host's handler registry does. */
  fail(channel: ChannelName, error: Extract<Result<unknown>, { ok: false }>['error']): this {
    this.handlers.set(channel, async () => ({ ok: false, error }));
    return this;
  }

  onEvent(listener: (event: EventEnvelope) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventMap[E]): void {
    for (const listener of this.listeners) listener({ name, payload } as EventEnvelope);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private dispatch(channel: ChannelName, input: unknown): Promise<Result<unknown>> {
    this.calls.push({ channel, input });
    const handler = this.handlers.get(channel);
    if (handler) return handler(input);
    return Promise.resolve({
      ok: false,
      error: { kind: 'validation', message: `Unknown channel ${channel}` },
    });
  }
}
