import type { Result } from './errors';
import type { EventEnvelope } from './events';

/**
 * Messages on the web host's one WebSocket (`/ws`). Electron's IPC carries the same calls
 * and events through ipcRenderer.invoke / webContents.send instead.
 */
export interface WireCall {
  type: 'call';
  /** Client-chosen, echoed in the result. */
  id: number;
  channel: string;
  input: unknown;
}

export interface WireResult {
  type: 'result';
  id: number;
  result: Result<unknown>;
}

export interface WireEvent {
  type: 'event';
  event: EventEnvelope;
}

export type WireToServer = WireCall;
export type WireToClient = WireResult | WireEvent;

/** Path of the request/event WebSocket on the web host. */
export const WIRE_PATH = '/ws';
/** Cookie the web host sets once the page was opened with a valid `?token=`. */
export const TOKEN_COOKIE = 'virtdeck_token';
