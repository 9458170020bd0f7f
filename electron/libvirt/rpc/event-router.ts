import type { EventInfo } from './procedure';
import { payloadReader, type PacketHeader } from './packet';
import type { RpcLogger } from './rpc-logger';

/** Event procedures by program number, then by procedure number (the generated tables). */
export type EventTables = ReadonlyMap<number, ReadonlyMap<number, EventInfo<unknown>>>;

export interface RpcEvent {
  readonly info: EventInfo<unknown>;
  readonly msg: unknown;
}

type Listener = (msg: unknown) => void;

interface Route {
  readonly info: EventInfo<unknown>;
  readonly listeners: Set<Listener>;
}

const routeKey = (program: number, proc: number): string => `${program}:${proc}`;

/**
 * Routes MESSAGE packets to listeners by (program, procedure). A payload that does not
 * decode is logged and dropped: one bad event must not take down the connection.
 */
export class EventRouter {
  private readonly routes = new Map<string, Route>();
  private readonly anyListeners = new Set<(event: RpcEvent) => void>();

  constructor(
    private readonly tables: EventTables,
    private readonly logger: RpcLogger,
  ) {}

  on<M>(info: EventInfo<M>, listener: (msg: M) => void): () => void {
    const key = routeKey(info.program, info.proc);
    let route = this.routes.get(key);
    if (!route) {
      route = { info: info as EventInfo<unknown>, listeners: new Set() };
      this.routes.set(key, route);
    }
    const fn = listener as Listener;
    route.listeners.add(fn);
    return () => {
      route.listeners.delete(fn);
      if (route.listeners.size === 0) this.routes.delete(key);
    };
  }

  onAny(listener: (event: RpcEvent) => void): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  dispatch(header: PacketHeader, payload: Buffer): void {
    const route = this.routes.get(routeKey(header.prog, header.proc));
    if (!route && this.anyListeners.size === 0) return;
    const info = this.tables.get(header.prog)?.get(header.proc) ?? route?.info;
    if (!info) {
      this.logger.warn(
        `dropped event with unknown program ${header.prog} procedure ${header.proc}`,
      );
      return;
    }
    let msg: unknown;
    try {
      msg = info.msg.decode(payloadReader(payload));
    } catch (err) {
      this.logger.warn(`dropped undecodable ${info.name} event (${payload.length} bytes)`, err);
      return;
    }
    for (const listener of route?.listeners ?? []) this.deliver(info, () => listener(msg));
    for (const listener of this.anyListeners) this.deliver(info, () => listener({ info, msg }));
  }

  private deliver(info: EventInfo<unknown>, call: () => void): void {
    try {
      call();
    } catch (err) {
      this.logger.warn(`${info.name} listener threw`, err);
    }
  }
}
