import type { RawData, WebSocket } from 'ws';
import type { EventEnvelope } from '../../shared/contract/events';
import type { WireCall, WireEvent, WireResult, WireToClient } from '../../shared/contract/wire';
import type { HandlerRegistry } from '../handlers/handler-registry';
import type { Logger } from '../services/logger';

/** RFC 6455 close codes used here. */
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_UNSUPPORTED_DATA = 1003;
export const CLOSE_GOING_AWAY = 1001;

/** A client this far behind on reading is not reading at all; drop it rather than buffer. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

type Parsed =
  | { kind: 'call'; call: WireCall }
  | { kind: 'bad-call'; id: number; message: string }
  | { kind: 'fatal'; reason: string };

/**
 * One browser tab's WebSocket: `WireCall`s in, `WireResult`s and `WireEvent`s out. A
 * message whose id we can read gets an error result; one we cannot answer closes the
 * socket (1008), since the client could never match a reply to it.
 */
export class WireSession {
  constructor(
    private readonly socket: WebSocket,
    private readonly registry: HandlerRegistry,
    private readonly caller: string,
    private readonly logger: Logger,
  ) {
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
  }

  sendEvent(event: EventEnvelope): void {
    const message: WireEvent = { type: 'event', event };
    this.send(message);
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.close(CLOSE_UNSUPPORTED_DATA, 'Binary messages are not part of the protocol');
      return;
    }
    const parsed = parseCall(rawText(data));
    if (parsed.kind === 'fatal') {
      this.close(CLOSE_POLICY_VIOLATION, parsed.reason);
      return;
    }
    if (parsed.kind === 'bad-call') {
      this.reply(parsed.id, { ok: false, error: { kind: 'validation', message: parsed.message } });
      return;
    }
    const { id, channel, input } = parsed.call;
    // dispatch never rejects; the catch is for a bug in this file's own callbacks.
    void this.registry
      .dispatch(channel, input, { caller: this.caller })
      .then((result) => this.reply(id, result))
      .catch((err: unknown) => this.logger.error(`Reply to call ${id} failed`, err));
  }

  private reply(id: number, result: WireResult['result']): void {
    this.send({ type: 'result', id, result });
  }

  private send(message: WireToClient): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.logger.warn(`${this.caller} stopped reading; closing it`);
      this.socket.terminate();
      return;
    }
    this.socket.send(JSON.stringify(message));
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Exported for unit tests of the edge cases a browser never sends. */
export function parseCall(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'fatal', reason: 'Message is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'fatal', reason: 'Message is not a JSON object' };
  }
  const message = value as Record<string, unknown>;
  const id = message.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    return { kind: 'fatal', reason: 'Message has no usable id' };
  }
  if (message.type !== 'call') {
    const shown = JSON.stringify(message.type)?.slice(0, 40) ?? 'undefined';
    return { kind: 'bad-call', id, message: `Unknown message type ${shown}` };
  }
  if (typeof message.channel !== 'string') {
    return { kind: 'bad-call', id, message: 'The call has no channel name' };
  }
  return {
    kind: 'call',
    call: { type: 'call', id, channel: message.channel, input: message.input },
  };
}
