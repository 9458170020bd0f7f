import type { Result } from './errors';
import type { ChannelName, InputOf, OutputOf } from './channels';
import type { EventEnvelope } from './events';

/** Splits 'area:verb' into its parts at the type level. */
type AreaOf<C extends string> = C extends `${infer A}:${string}` ? A : never;
type VerbOf<C extends string, A extends string> = C extends `${A}:${infer V}` ? V : never;

/**
 * The API object both hosts expose to the renderer: `api.vm.start(input)` for channel
 * 'vm:start'. Built from the contract by `buildApi`, never written by hand.
 */
type CallOf<C> = C extends ChannelName
  ? (input: InputOf<C>) => Promise<Result<OutputOf<C>>>
  : never;

export type ContractApi = {
  [A in AreaOf<ChannelName>]: {
    [V in VerbOf<ChannelName, A>]: CallOf<`${A}:${V}`>;
  };
};

export interface VirtDeckBridge {
  api: ContractApi;
  /** Subscribes to every pushed event; returns the unsubscribe function. */
  onEvent(listener: (event: EventEnvelope) => void): () => void;
  /**
   * Electron only: the local path of a file the user picked (a DOM `File`), so the main
   * process can read it for an upload; a sandboxed page cannot see paths itself. The web host
   * has none: there the browser streams the file to the transfer endpoint instead.
   */
  pathForFile?: (file: unknown) => string;
}

/**
 * Builds the nested API from a single transport function. Both the preload (ipcRenderer)
 * and the web client (WebSocket) pass their own `send`.
 */
export function buildApi(
  names: readonly ChannelName[],
  send: (channel: ChannelName, input: unknown) => Promise<Result<unknown>>,
): ContractApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>> = {};
  for (const name of names) {
    const [area, verb] = name.split(':') as [string, string];
    (api[area] ??= {})[verb] = (input: unknown) => send(name, input ?? {});
  }
  return api as unknown as ContractApi;
}
