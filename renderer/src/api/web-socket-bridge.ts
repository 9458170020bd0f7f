import {
  buildApi,
  channelNames,
  type ChannelName,
  type ContractError,
  type EventEnvelope,
  type Result,
  type VirtDeckBridge,
} from '../../../shared/contract';
import { parseWireMessage } from './parse-wire-message';
import { PendingCalls } from './pending-calls';
import { ReconnectBackoff } from './reconnect-backoff';

/**
 * The part of a WebSocket the bridge uses. The browser's WebSocket and the `ws` package's
 * client both fit it, so tests drive this file over a real socket without a browser.
 */
export interface WireSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(
    type: 'close',
    listener: (event: { code: number; reason: string }) => void,
  ): void;
  addEventListener(type: 'error', listener: () => void): void;
}

export type WireSocketFactory = (url: string) => WireSocket;

/** `connecting` → `open`; after a drop `waiting` (backoff) → `connecting`; `closed` is final. */
export type LinkState = 'connecting' | 'open' | 'waiting' | 'closed';

export interface WebSocketBridgeOptions {
  url: string;
  createSocket: WireSocketFactory;
  /** How long a call made while the link is down waits for it to come back. */
  linkWaitMs?: number;
  /** Calls allowed to wait for the link at once; more fail at once instead of piling up. */
  maxQueued?: number;
  backoff?: ReconnectBackoff;
  /** Frames the bridge could not use: logged by the caller, never silently dropped. */
  onProblem?: (problem: string) => void;
}

export interface WebSocketBridge extends VirtDeckBridge {
  readonly linkState: LinkState;
  onLinkState(listener: (state: LinkState) => void): () => void;
  /** Closes the link for good; waiting calls fail with a transport error. */
  close(): void;
}

/** WHATWG WebSocket.OPEN; the constant is not on the structural type. */
const SOCKET_OPEN = 1;
const NORMAL_CLOSURE = 1000;

/** Browsers report every failed handshake (refused, 401, 404) as 1006 and hide the cause. */
function describeClose(code: number, reason: string): string {
  const why = reason ? `: ${reason}` : '';
  if (code === 1006) return `the connection failed or was refused (code 1006)${why}`;
  return `the link closed with code ${code}${why}`;
}

function transportError(message: string): ContractError {
  return { kind: 'transport', message };
}

export function createWebSocketBridge(options: WebSocketBridgeOptions): WebSocketBridge {
  const linkWaitMs = options.linkWaitMs ?? 15_000;
  const maxQueued = options.maxQueued ?? 256;
  const backoff = options.backoff ?? new ReconnectBackoff();
  const report = options.onProblem ?? (() => undefined);
  const pending = new PendingCalls();
  const expiry = new Map<number, ReturnType<typeof setTimeout>>();
  const eventListeners = new Set<(event: EventEnvelope) => void>();
  const linkListeners = new Set<(state: LinkState) => void>();

  let socket: WireSocket | null = null;
  let state: LinkState = 'connecting';
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Why the link is not open, for the message of a call that gave up waiting. */
  let lastProblem = 'the link is still being opened';

  function setState(next: LinkState): void {
    if (state === next) return;
    state = next;
    for (const listener of linkListeners) listener(next);
  }

  function connect(): void {
    retryTimer = null;
    setState('connecting');
    let ws: WireSocket;
    try {
      ws = options.createSocket(options.url);
    } catch (error) {
      lastProblem = `the socket could not be created (${(error as Error).message})`;
      scheduleReconnect();
      return;
    }
    socket = ws;
    // Each listener checks it still belongs to the current socket: a late event from a
    // replaced socket must not touch the new link's calls.
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      backoff.reset();
      setState('open');
      flushQueued();
    });
    ws.addEventListener('message', (event) => {
      if (socket === ws) receive(event.data);
    });
    // A close event always follows an error and carries what is known; the listener only
    // marks the error as handled (the `ws` client throws an unhandled one).
    ws.addEventListener('error', () => undefined);
    ws.addEventListener('close', (event) => {
      if (socket !== ws) return;
      socket = null;
      lastProblem = describeClose(event.code, event.reason);
      pending.failInFlight(
        transportError(`The VirtDeck web host link closed before the reply came: ${lastProblem}`),
      );
      scheduleReconnect();
    });
  }

  function scheduleReconnect(): void {
    if (state === 'closed') return;
    setState('waiting');
    retryTimer = setTimeout(connect, backoff.next());
  }

  function flushQueued(): void {
    for (const call of pending.queued()) {
      if (!socket || socket.readyState !== SOCKET_OPEN) return;
      const text = encode(call.id, call.channel, call.input);
      if (text === null) continue;
      socket.send(text);
      pending.markSent(call.id);
      clearExpiry(call.id);
    }
  }

  function encode(id: number, channel: string, input: unknown): string | null {
    try {
      return JSON.stringify({ type: 'call', id, channel, input });
    } catch (error) {
      clearExpiry(id);
      pending.settle(id, {
        ok: false,
        error: {
          kind: 'validation',
          message: `The input of ${channel} cannot be sent: ${(error as Error).message}`,
        },
      });
      return null;
    }
  }

  function receive(data: unknown): void {
    const parsed = parseWireMessage(data);
    if (!parsed.ok) {
      report(`The web host sent ${parsed.problem}`);
      if (parsed.id !== undefined) {
        pending.settle(parsed.id, {
          ok: false,
          error: transportError(`The web host answered with ${parsed.problem}`),
        });
      }
      return;
    }
    const message = parsed.message;
    if (message.type === 'result') {
      if (!pending.settle(message.id, message.result)) {
        report(`The web host answered call ${message.id}, which is not waiting for a reply`);
      }
      return;
    }
    for (const listener of eventListeners) {
      try {
        listener(message.event);
      } catch (error) {
        // One broken subscriber must not starve the others; the error still reaches the
        // global handler (and from there the notifications).
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  function clearExpiry(id: number): void {
    const timer = expiry.get(id);
    if (timer !== undefined) clearTimeout(timer);
    expiry.delete(id);
  }

  function send(channel: ChannelName, input: unknown): Promise<Result<unknown>> {
    if (state === 'closed') {
      return Promise.resolve({ ok: false, error: transportError('The web host link was closed') });
    }
    if (pending.size - pending.inFlight >= maxQueued) {
      return Promise.resolve({
        ok: false,
        error: transportError(
          `${maxQueued} calls are already waiting for the web host link (${lastProblem})`,
        ),
      });
    }
    const { id, result } = pending.add(channel, input);
    if (state === 'open' && socket?.readyState === SOCKET_OPEN) {
      flushQueued();
    } else {
      expiry.set(
        id,
        setTimeout(() => {
          expiry.delete(id);
          pending.expireQueued(
            id,
            transportError(
              `Could not reach the VirtDeck web host within ${Math.round(linkWaitMs / 1000)} s: ${lastProblem}`,
            ),
          );
        }, linkWaitMs),
      );
    }
    return result;
  }

  function close(): void {
    if (state === 'closed') return;
    setState('closed');
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    const ws = socket;
    socket = null;
    ws?.close(NORMAL_CLOSURE);
    for (const id of [...expiry.keys()]) clearExpiry(id);
    pending.failAll(transportError('The web host link was closed'));
  }

  connect();

  return {
    api: buildApi(channelNames, send),
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    get linkState() {
      return state;
    },
    onLinkState(listener) {
      linkListeners.add(listener);
      return () => linkListeners.delete(listener);
    },
    close,
  };
}
