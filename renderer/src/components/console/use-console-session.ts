import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import type {
  ConsoleDeviceRequest,
  ConsoleEndReason,
  ConsoleKind,
  ConsoleTargetInfo,
  ConsoleTicket,
} from '../../../../shared/contract';
import { useConnectionsStore } from '../../stores/connections';
import { useConsolesStore, type ConsoleTarget } from '../../stores/consoles';
import { describeError } from '../../stores/notifications';
import { consoleSocketUrl } from './console-socket-url';
import type { ConsoleTrouble } from './console-problem';

export interface ConsoleDeviceChoice {
  /** `graphics:0`, `serial:serial0` */
  key: string;
  kind: ConsoleKind | 'other';
  /** Display type (vnc, spice, …) or the serial device's alias. */
  name: string;
  index: number;
  request: ConsoleDeviceRequest;
}

export type ConsolePhase = 'loading' | 'opening' | 'live' | 'trouble';

/** How long to wait for the host's word on why a console closed before guessing. */
const END_EVENT_WAIT_MS = 1500;
const START_WAIT_MS = 60_000;

/**
 * One console view's session: which device, its ticket, and the state the window is in.
 * Every way a console can stop — VM stopped, host gone, taken over, wrong password — lands
 * in a named trouble with a way out, never a blank canvas. When the host's connection comes
 * back, a console that lost it reconnects by itself.
 */
export function useConsoleSession(target: Ref<ConsoleTarget>) {
  const consoles = useConsolesStore();
  const connections = useConnectionsStore();
  consoles.init();

  const info = ref<ConsoleTargetInfo | null>(null);
  const deviceKey = ref<string | null>(null);
  const ticket = ref<ConsoleTicket | null>(null);
  const phase = ref<ConsolePhase>('loading');
  const trouble = ref<{ trouble: ConsoleTrouble; detail: string } | null>(null);
  /** Bumped to mount a fresh viewer (reconnect). */
  const viewerKey = ref(0);
  const connected = ref(false);
  const busy = ref(false);
  let disposed = false;
  let generation = 0;
  /**
   * The host's link dropped and came back while this console was still open: the viewer's
   * "host disconnected" may arrive after the link is up again, and must then reconnect
   * instead of waiting for a status change that already happened.
   */
  let linkCameBack = false;

  const devices = computed<ConsoleDeviceChoice[]>(() => {
    const found = info.value;
    if (!found) return [];
    const graphics = found.graphics.map<ConsoleDeviceChoice>((g) => ({
      key: `graphics:${g.index}`,
      kind: g.type === 'vnc' || g.type === 'spice' ? g.type : 'other',
      name: g.type,
      index: g.index,
      request: { kind: 'graphics', index: g.index },
    }));
    const serials = found.serials.map<ConsoleDeviceChoice>((s, i) => {
      const alias = s.alias ?? `${s.element}${s.targetPort ?? i}`;
      return {
        key: `serial:${alias}`,
        kind: 'serial',
        name: alias,
        index: i,
        request: s.alias ? { kind: 'serial', alias: s.alias } : { kind: 'serial' },
      };
    });
    return [...graphics, ...serials];
  });
  const device = computed(() => devices.value.find((d) => d.key === deviceKey.value) ?? null);
  const kind = computed<ConsoleKind | null>(
    () =>
      ticket.value?.kind ?? (device.value?.kind === 'other' ? null : (device.value?.kind ?? null)),
  );
  const socketUrl = computed(() =>
    ticket.value ? consoleSocketUrl(ticket.value, window.location.href) : null,
  );
  const connectionStatus = computed(
    () => connections.items[target.value.connectionId]?.state.status ?? null,
  );

  function setTrouble(name: ConsoleTrouble, detail = ''): void {
    if (name === 'host-disconnected' && linkCameBack && connectionStatus.value === 'connected') {
      linkCameBack = false;
      void load();
      return;
    }
    // A stopped VM needs no words from the host beyond the state itself.
    const quiet = name === 'vm-stopped' || name === 'not-running';
    trouble.value = { trouble: name, detail: quiet ? '' : detail };
    phase.value = 'trouble';
    connected.value = false;
  }

  async function releaseTicket(): Promise<void> {
    const old = ticket.value;
    ticket.value = null;
    connected.value = false;
    if (old) await consoles.close(old.id);
  }

  async function refreshInfo(): Promise<ConsoleTargetInfo | null> {
    try {
      info.value = await consoles.info(target.value);
      return info.value;
    } catch (error) {
      setTrouble(
        connectionStatus.value === 'connected' ? 'error' : 'host-disconnected',
        describeError(error).detail,
      );
      return null;
    }
  }

  /** Reads the VM's devices, picks one (a display first), and opens it. */
  async function load(): Promise<void> {
    phase.value = 'loading';
    const found = await refreshInfo();
    if (!found) return;
    if (!device.value) deviceKey.value = devices.value[0]?.key ?? null;
    await connect();
  }

  async function connect(force = false): Promise<void> {
    const mine = ++generation;
    linkCameBack = false;
    await releaseTicket();
    const chosen = device.value;
    if (!chosen) {
      setTrouble('no-device');
      return;
    }
    if (chosen.kind === 'other') {
      setTrouble('unsupported-type', chosen.name);
      return;
    }
    phase.value = 'opening';
    trouble.value = null;
    const request: ConsoleDeviceRequest =
      chosen.request.kind === 'serial' && force
        ? { ...chosen.request, force: true }
        : chosen.request;
    try {
      const result = await consoles.open(target.value, request);
      if (disposed || mine !== generation) {
        if (result.status === 'ready') await consoles.close(result.ticket.id);
        return;
      }
      if (result.status === 'unavailable') {
        setTrouble(result.problem, result.message);
        return;
      }
      ticket.value = result.ticket;
      viewerKey.value++;
      phase.value = 'live';
    } catch (error) {
      if (mine !== generation) return;
      setTrouble(
        connectionStatus.value === 'connected' ? 'error' : 'host-disconnected',
        describeError(error).detail,
      );
    }
  }

  /**
   * The viewer's connection ended. The host says why in 'console:ended' (a moment later at
   * most); without that word, the VM's state decides between "stopped" and "closed".
   */
  async function viewerClosed(hint: ConsoleEndReason | null = null, detail = ''): Promise<void> {
    const closing = ticket.value;
    if (!closing || disposed) return;
    const mine = generation;
    connected.value = false;
    const deadline = Date.now() + END_EVENT_WAIT_MS;
    while (!consoles.endOf(closing.id) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (mine !== generation || disposed) return;
    const ended = consoles.endOf(closing.id);
    const reason = ended?.reason ?? hint;
    ticket.value = null;
    void consoles.close(closing.id);
    if (reason && reason !== 'closed' && reason !== 'upstream-closed') {
      setTrouble(reason, ended?.message ?? detail);
      return;
    }
    const fresh = await refreshInfo();
    if (!fresh) return;
    if (!fresh.active) setTrouble('vm-stopped', ended?.message ?? '');
    else setTrouble('upstream-closed', ended?.message ?? detail);
  }

  function viewerConnected(): void {
    connected.value = true;
  }

  async function selectDevice(key: string): Promise<void> {
    deviceKey.value = key;
    await connect();
  }

  /** Starts the VM, waits for it to run, then opens the console again. */
  async function startVm(): Promise<void> {
    busy.value = true;
    try {
      await consoles.startVm(target.value);
      const deadline = Date.now() + START_WAIT_MS;
      while (Date.now() < deadline && !disposed) {
        const fresh = await refreshInfo();
        if (fresh?.active) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      await connect();
    } catch (error) {
      setTrouble('error', describeError(error).detail);
    } finally {
      busy.value = false;
    }
  }

  // A console that lost its host comes back with it.
  watch(connectionStatus, (status, before) => {
    if (status === 'connected' && before !== 'connected') {
      if (trouble.value?.trouble === 'host-disconnected') void load();
      else if (phase.value === 'live' || phase.value === 'opening') linkCameBack = true;
    } else if (
      status !== 'connected' &&
      status !== null &&
      phase.value === 'live' &&
      !connected.value
    ) {
      setTrouble('host-disconnected');
    }
  });

  function dispose(): void {
    disposed = true;
    generation++;
    void releaseTicket();
  }

  onBeforeUnmount(dispose);

  return {
    info,
    devices,
    device,
    deviceKey,
    kind,
    ticket,
    socketUrl,
    phase,
    trouble,
    viewerKey,
    connected,
    busy,
    load,
    connect,
    refreshInfo,
    viewerClosed,
    viewerConnected,
    selectDevice,
    startVm,
    setTrouble,
    dispose,
  };
}
