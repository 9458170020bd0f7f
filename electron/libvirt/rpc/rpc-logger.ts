/**
 * Where the RPC layer reports things it survives (undecodable events, stray packets).
 * Injected so the app can route it to its log and tests can assert on it.
 */
export interface RpcLogger {
  warn(message: string, detail?: unknown): void;
  debug(message: string, detail?: unknown): void;
}

export const consoleRpcLogger: RpcLogger = {
  warn: (message, detail) =>
    detail === undefined
      ? console.warn(`[libvirt-rpc] ${message}`)
      : console.warn(`[libvirt-rpc] ${message}`, detail),
  debug: () => {},
};
