import {
  VirtDeckError,
  type ChannelName,
  type EventMap,
  type EventName,
  type InputOf,
  type OutputOf,
  type Result,
} from '../../../shared/contract';
import { currentBridge, watchLinkState } from './bridge';
import type { LinkState } from './web-socket-bridge';

export type { LinkState };

type ApiCall = (input: unknown) => Promise<Result<unknown>>;

/**
 * What stores use to talk to the main process: `call('vm:start', input)` resolves to the
 * channel's output or throws a `VirtDeckError` that keeps the host's kind, code and message.
 */
export async function call<C extends ChannelName>(
  channel: C,
  input: InputOf<C>,
): Promise<OutputOf<C>> {
  const [area, verb] = channel.split(':') as [string, string];
  const api = currentBridge().api as unknown as Record<string, Record<string, ApiCall> | undefined>;
  const fn = api[area]?.[verb];
  if (!fn) {
    throw new VirtDeckError({
      kind: 'internal',
      message: `The host does not provide ${channel}; the renderer and host versions differ`,
    });
  }
  let result: Result<unknown>;
  try {
    result = await fn(input);
  } catch (error) {
    // A bridge is meant to resolve every call to a Result; a rejection means its transport
    // itself broke (e.g. the IPC channel is gone).
    throw new VirtDeckError({
      kind: 'transport',
      message: error instanceof Error ? error.message : `${channel} failed without a reason`,
    });
  }
  if (!result.ok) throw new VirtDeckError(result.error);
  return result.value as OutputOf<C>;
}

/** Subscribes to one pushed event; returns the function that unsubscribes. */
export function onEvent<E extends EventName>(
  name: E,
  handler: (payload: EventMap[E]) => void,
): () => void {
  return currentBridge().onEvent((event) => {
    if (event.name === name) handler(event.payload as EventMap[E]);
  });
}

/** The state of the link to the host (only the web host's can drop), now and on change. */
export function onLinkState(handler: (state: LinkState) => void): () => void {
  return watchLinkState(handler);
}

/**
 * The local path of a file the user picked, where the host can read paths (Electron's
 * preload); null in the web host, where the browser must stream the file itself.
 */
export function localPathOf(file: File): string | null {
  const bridge = currentBridge();
  if (!bridge.pathForFile) return null;
  const path = bridge.pathForFile(file);
  // Electron answers '' for a File not backed by a disk file (e.g. made in the page).
  return path === '' ? null : path;
}

/** Electron's preload can name picked files' paths, so the main process reads them itself. */
export function hostReadsFilePaths(): boolean {
  return !!currentBridge().pathForFile;
}
