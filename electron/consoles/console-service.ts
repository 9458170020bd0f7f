import type { Duplex } from 'node:stream';
import type {
  ConsoleDeviceRequest,
  ConsoleOpenResult,
  ConsoleProblem,
  ConsoleTargetInfo,
  ConsoleTicket,
} from '../../shared/contract/consoles';
import type { EventMap } from '../../shared/contract/events';
import { VirtDeckError } from '../../shared/contract/errors';
import type { VmTarget } from '../../shared/contract/vms';
import { isLibvirtError } from '../libvirt/errors';
import { domainGetState } from '../libvirt/facade/domain';
import { VIR_ERR_OPERATION_FAILED } from '../libvirt/protocol/constants.gen';
import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import { isActiveState, vmStateOf } from '../vms/vm-state';
import { ConsoleBridge, type ConsoleEnd } from './console-bridge';
import { graphicsOpener, openSerialStream } from './console-upstreams';
import { describeTarget, planGraphicsRoute } from './graphics-route';
import { HeldUpstream } from './held-upstream';
import type { HostLink, HostLinkSource } from './host-links';
import { UpstreamError } from './open-graphics-upstream';
import { readConsoleTarget, type ConsoleTargetFacts } from './read-console-target';

export interface ConsoleServiceOptions {
  links: HostLinkSource;
  events: EventHub;
  logger: Logger;
  /** How long a ticket waits for its first WebSocket (default 30 s). */
  ticketTtlMs?: number;
}

/** Opens a VM's console in a window of its own; set by a host that has windows (Electron). */
export type ConsoleWindowOpener = (target: VmTarget) => Promise<void>;

const DEFAULT_TTL_MS = 30_000;
/** A VNC server greets at once; a SPICE server waits for us, so silence is fine there. */
const VNC_GREETING_MS = 10_000;
const SPICE_QUIET_MS = 300;
const SPICE_CHANNELS = 16;
/** How long a closed display may take to show up as a stopped VM in libvirt. */
const STOP_SETTLE_MS = 3_000;
const TAKEOVER_SETTLE_MS = 1_000;

/**
 * Console sessions: reads the live XML each time, opens the pipe to the device (display or
 * serial console) so problems are reported before any viewer starts, and hands out tickets
 * for the bridge. When a device goes away it says why ('console:ended').
 */
export class ConsoleService {
  readonly bridge: ConsoleBridge;
  private wsOrigin: string | null = null;
  private windowOpener: ConsoleWindowOpener | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: ConsoleServiceOptions) {
    this.bridge = new ConsoleBridge(options.logger);
    this.unsubscribe = options.events.subscribe((event) => {
      if (event.name === 'connection:state') {
        const { connectionId, state } = event.payload as EventMap['connection:state'];
        // A user's disconnect ends its consoles; a drop ends them by itself (links die).
        if (state.status === 'disconnected') this.endConnection(connectionId);
      } else if (event.name === 'connection:changed') {
        const change = event.payload as EventMap['connection:changed'];
        if (change.change === 'removed') this.endConnection(change.connectionId);
      }
    });
  }

  /** Where the renderer reaches the console endpoint when it is not the page's origin. */
  setEndpointOrigin(origin: string | null): void {
    this.wsOrigin = origin;
  }

  setWindowOpener(opener: ConsoleWindowOpener | null): void {
    this.windowOpener = opener;
  }

  async info(target: VmTarget): Promise<ConsoleTargetInfo> {
    const link = this.requireLink(target.connectionId);
    const facts = await readConsoleTarget(link.client, target.uuid);
    return {
      connectionId: target.connectionId,
      uuid: facts.dom.uuid,
      name: facts.dom.name,
      state: facts.state,
      active: facts.active,
      hostTransport: link.transport,
      graphics: facts.graphics.map((g) => {
        const plan = planGraphicsRoute(g, {
          transport: link.transport,
          uriHost: link.uriHost,
          active: facts.active,
        });
        return {
          index: g.index,
          type: g.type,
          listenType: g.listenType,
          listen: g.listenType === 'socket' ? g.socket : g.address,
          port: g.port,
          tlsPort: g.tlsPort,
          hasPassword: g.password !== null,
          problem: plan.ok ? null : plan.problem,
        };
      }),
      serials: facts.serials,
    };
  }

  async open(request: VmTarget & { device: ConsoleDeviceRequest }): Promise<ConsoleOpenResult> {
    const link = this.options.links.link(request.connectionId);
    if (!link) {
      return unavailable('host-disconnected', 'The host is not connected');
    }
    const facts = await readConsoleTarget(link.client, request.uuid);
    return request.device.kind === 'graphics'
      ? this.openGraphics(link, facts, request.device.index)
      : this.openSerial(link, facts, request.device.alias ?? null, request.device.force === true);
  }

  close(id: string): { id: string } {
    this.bridge.end(id, { reason: 'closed', message: 'The console was closed' });
    return { id };
  }

  async openWindow(target: VmTarget): Promise<{ opened: boolean }> {
    if (!this.windowOpener) return { opened: false };
    await this.windowOpener(target);
    return { opened: true };
  }

  /** The connected host, or a clear error. */
  requireLink(connectionId: string): HostLink {
    const link = this.options.links.link(connectionId);
    if (!link) {
      throw new VirtDeckError({
        kind: 'validation',
        message: 'The host is not connected; connect it first',
        path: 'connectionId',
      });
    }
    return link;
  }

  dispose(): void {
    this.unsubscribe();
    this.bridge.closeAll();
  }

  private endConnection(connectionId: string): void {
    this.bridge.endWhere((b) => b.connectionId === connectionId, {
      reason: 'host-disconnected',
      message: 'The host was disconnected',
    });
  }

  private async openGraphics(
    link: HostLink,
    facts: ConsoleTargetFacts,
    index: number,
  ): Promise<ConsoleOpenResult> {
    const device = facts.graphics[index];
    if (!device) {
      return unavailable(
        'no-device',
        facts.graphics.length === 0
          ? 'This VM has no graphical display'
          : `This VM has no display number ${index + 1}`,
      );
    }
    const plan = planGraphicsRoute(device, {
      transport: link.transport,
      uriHost: link.uriHost,
      active: facts.active,
    });
    if (!plan.ok) return unavailable(plan.problem, plan.message);
    const opener = graphicsOpener(link, plan.target, plan.via);
    let held: HeldUpstream;
    let route;
    try {
      const first = await opener();
      route = first.route;
      held = new HeldUpstream(first.stream);
    } catch (err) {
      return unavailableFrom(err);
    }
    try {
      await held.settle(plan.kind === 'vnc' ? VNC_GREETING_MS : SPICE_QUIET_MS);
    } catch (err) {
      held.discard();
      return unavailableFrom(err);
    }
    const via = route === 'direct' ? '' : ' via SSH';
    return this.issue(link, facts, `graphics:${index}`, {
      kind: plan.kind,
      maxConnections: plan.kind === 'spice' ? SPICE_CHANNELS : 1,
      held,
      route,
      label: `${plan.kind.toUpperCase()} ${describeTarget(plan.target)}${via}`,
      password: device.password,
      openUpstream: async () => (await opener()).stream,
    });
  }

  private async openSerial(
    link: HostLink,
    facts: ConsoleTargetFacts,
    alias: string | null,
    force: boolean,
  ): Promise<ConsoleOpenResult> {
    if (!facts.active) return unavailable('not-running', 'The VM is not running');
    const device = alias === null ? facts.serials[0] : facts.serials.find((s) => s.alias === alias);
    if (!device) {
      return unavailable(
        'no-device',
        alias === null ? 'This VM has no serial console' : `This VM has no console named ${alias}`,
      );
    }
    if (!device.streamable) {
      return unavailable(
        'serial-unsupported',
        `The ${device.element} ${device.alias ?? ''} is of type "${device.type}"; only pty consoles can be opened through libvirt`,
      );
    }
    let stream;
    try {
      stream = await openSerialStream(link.client, facts.dom, device.alias, force);
    } catch (err) {
      if (
        isLibvirtError(err, VIR_ERR_OPERATION_FAILED) &&
        /console session exists/i.test(err.message)
      ) {
        return unavailable('serial-busy', err.message);
      }
      throw err;
    }
    const held = new HeldUpstream(stream);
    const name = device.alias ?? `${device.element}${device.targetPort ?? 0}`;
    return this.issue(link, facts, `serial:${name}`, {
      kind: 'serial',
      maxConnections: 1,
      held,
      route: 'libvirt-stream',
      label: name,
      password: null,
      openUpstream: () => Promise.reject(new Error('A serial console carries one connection')),
    });
  }

  private issue(
    link: HostLink,
    facts: ConsoleTargetFacts,
    device: string,
    spec: {
      kind: ConsoleTicket['kind'];
      maxConnections: number;
      held: HeldUpstream;
      route: ConsoleTicket['route'];
      label: string;
      password: string | null;
      openUpstream: () => Promise<Duplex>;
    },
  ): ConsoleOpenResult {
    const connectionId = link.connectionId;
    const issued = this.bridge.register(
      { connectionId, uuid: facts.dom.uuid, device },
      {
        kind: spec.kind,
        maxConnections: spec.maxConnections,
        ttlMs: this.options.ticketTtlMs ?? DEFAULT_TTL_MS,
        held: spec.held,
        openUpstream: spec.openUpstream,
        classifyEnd: (error) => this.classifyEnd(connectionId, facts, spec.kind, error),
        onEnded: (end) => this.options.events.emit('console:ended', { id: issued.id, ...end }),
      },
    );
    return {
      status: 'ready',
      ticket: {
        id: issued.id,
        token: issued.token,
        path: issued.path,
        wsOrigin: this.wsOrigin,
        kind: spec.kind,
        expiresAt: issued.expiresAt,
        maxConnections: spec.maxConnections,
        route: spec.route,
        password: spec.password,
        passwordUnknown: facts.passwordUnknown && spec.kind !== 'serial',
        label: spec.label,
      },
    };
  }

  /** Why a device closed: the VM stopped, the host went away, or something else. */
  private async classifyEnd(
    connectionId: string,
    facts: ConsoleTargetFacts,
    kind: ConsoleTicket['kind'],
    error: Error | null,
  ): Promise<ConsoleEnd> {
    if (error instanceof UpstreamError) {
      return {
        reason: error.problem === 'host-disconnected' ? 'host-disconnected' : 'upstream-failed',
        message: error.message,
      };
    }
    // libvirt reports a forced takeover as an I/O failure of the stream, with the VM running;
    // a stopping VM shows as stopped within a moment, so a short wait tells them apart.
    const takenOverLike =
      kind === 'serial' && isLibvirtError(error) && error.domainName === 'VIR_FROM_STREAMS';
    const deadline = Date.now() + (takenOverLike ? TAKEOVER_SETTLE_MS : STOP_SETTLE_MS);
    for (;;) {
      const link = this.options.links.link(connectionId);
      if (!link || link.client.closed) {
        return { reason: 'host-disconnected', message: 'The connection to the host was lost' };
      }
      try {
        const s = await domainGetState(link.client, facts.dom);
        if (!isActiveState(vmStateOf(s.state, s.reason, false).state)) {
          return { reason: 'vm-stopped', message: 'The VM stopped' };
        }
      } catch (err) {
        if (link.client.closed) {
          return { reason: 'host-disconnected', message: 'The connection to the host was lost' };
        }
        // The domain is gone (a transient VM that stopped): the same for the user.
        if (isLibvirtError(err)) return { reason: 'vm-stopped', message: err.message };
        throw err;
      }
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (kind === 'serial') {
      return {
        reason: 'taken-over',
        message: error?.message ?? 'Another client opened the serial console',
      };
    }
    return {
      reason: 'upstream-closed',
      message: error?.message ?? 'The display closed the connection',
    };
  }
}

function unavailable(problem: ConsoleProblem, message: string): ConsoleOpenResult {
  return { status: 'unavailable', problem, message };
}

function unavailableFrom(err: unknown): ConsoleOpenResult {
  if (err instanceof UpstreamError) return unavailable(err.problem, err.message);
  const message = err instanceof Error ? err.message : 'The console could not be opened';
  return unavailable('unreachable', message);
}
