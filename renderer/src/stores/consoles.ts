import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  ConsoleDeviceRequest,
  ConsoleKeyCombo,
  ConsoleOpenResult,
  ConsoleReplaceResult,
  ConsoleTargetInfo,
  EventMap,
} from '../../../shared/contract';
import { call, onEvent } from '../api/client';
import { consoleRouteHash } from '../components/console/console-route';
import { base64ToBytes, downloadFile } from '../components/console/download-file';

export interface ConsoleTarget {
  connectionId: string;
  uuid: string;
}

export type ConsoleEnded = EventMap['console:ended'];

/** Where the web host's detached console windows were, per VM (the browser has no other memory). */
const WINDOW_KEY = 'virtdeck.consoleWindow.';

interface WindowPlace {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Consoles as the views use them: tickets, why a session ended ('console:ended'), the
 * actions around a display, and detached windows (Electron's own, or the browser's popup
 * for the web host).
 */
export const useConsolesStore = defineStore('consoles', () => {
  /** Why each session ended, by session id. */
  const ended = ref<Record<string, ConsoleEnded>>({});
  let unsubscribe: (() => void) | null = null;

  function init(): void {
    unsubscribe ??= onEvent('console:ended', (event) => {
      ended.value[event.id] = event;
    });
  }

  function endOf(id: string | null | undefined): ConsoleEnded | null {
    return id ? (ended.value[id] ?? null) : null;
  }

  function info(target: ConsoleTarget): Promise<ConsoleTargetInfo> {
    return call('console:info', target);
  }

  function open(target: ConsoleTarget, device: ConsoleDeviceRequest): Promise<ConsoleOpenResult> {
    init();
    return call('console:open', { ...target, device });
  }

  /** Ends a session; a session that is already gone is no error. */
  async function close(id: string): Promise<void> {
    try {
      await call('console:close', { id });
    } catch {
      // The host may be gone with it.
    }
  }

  function sendKeys(target: ConsoleTarget, combo: ConsoleKeyCombo): Promise<unknown> {
    return call('console:sendKeys', { ...target, combo });
  }

  function sendNmi(target: ConsoleTarget): Promise<unknown> {
    return call('vm:sendNmi', target);
  }

  function startVm(target: ConsoleTarget): Promise<unknown> {
    return call('vm:start', target);
  }

  async function saveScreenshot(target: ConsoleTarget): Promise<string> {
    const shot = await call('console:screenshot', target);
    downloadFile(shot.fileName, base64ToBytes(shot.dataBase64), shot.mime);
    return shot.fileName;
  }

  async function saveViewerFile(target: ConsoleTarget, index: number): Promise<number | null> {
    const file = await call('console:viewerFile', { ...target, index });
    downloadFile(file.fileName, file.content, 'application/x-virt-viewer');
    return file.forwardedPort;
  }

  /**
   * Adds a VNC display on 127.0.0.1 (reached through the bridge, also over SSH) to the saved
   * definition; a running VM shows it after its next start (QEMU cannot hot-plug one).
   */
  async function addDisplay(target: ConsoleTarget): Promise<{ nextStart: boolean }> {
    const result = await call('domain:applyEdit', {
      ...target,
      edit: { kind: 'addGraphics', type: 'vnc', listen: { type: 'address', address: '127.0.0.1' } },
    });
    return { nextStart: result.liveActions.length === 0 };
  }
  function planSpiceToVnc(target: ConsoleTarget): Promise<ConsoleReplaceResult> {
    return call('console:planSpiceToVnc', target);
  }

  function replaceSpiceWithVnc(target: ConsoleTarget): Promise<ConsoleReplaceResult> {
    return call('console:replaceSpiceWithVnc', target);
  }

  /**
   * The VM's console in its own window: Electron opens (or focuses) one per VM where it was
   * last; in a browser, a popup named after the VM, placed where it was last.
   */
  async function openDetached(target: ConsoleTarget): Promise<void> {
    const { opened } = await call('console:openWindow', target);
    if (opened) return;
    const place = readPlace(target);
    const features = place
      ? `popup,left=${place.left},top=${place.top},width=${place.width},height=${place.height}`
      : 'popup,width=1024,height=800';
    const url = new URL(window.location.href);
    url.hash = consoleRouteHash(target);
    window.open(url.href, `virtdeck-console-${target.uuid}`, features);
  }

  /** Called by a detached browser window as it moves or closes. */
  function rememberPlace(target: ConsoleTarget, place: WindowPlace): void {
    try {
      localStorage.setItem(
        `${WINDOW_KEY}${target.connectionId}/${target.uuid}`,
        JSON.stringify(place),
      );
    } catch {
      // Storage full or disabled: the window just opens at the default place next time.
    }
  }

  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  return {
    ended,
    init,
    endOf,
    info,
    open,
    close,
    sendKeys,
    sendNmi,
    startVm,
    saveScreenshot,
    saveViewerFile,
    addDisplay,
    planSpiceToVnc,
    replaceSpiceWithVnc,
    openDetached,
    rememberPlace,
    dispose,
  };
});

function readPlace(target: ConsoleTarget): WindowPlace | null {
  try {
    const raw = localStorage.getItem(`${WINDOW_KEY}${target.connectionId}/${target.uuid}`);
    if (!raw) return null;
    const place = JSON.parse(raw) as Partial<WindowPlace>;
    const ok = (v: unknown, min: number) =>
      typeof v === 'number' && Number.isInteger(v) && v >= min;
    if (
      !ok(place.left, -10_000) ||
      !ok(place.top, -10_000) ||
      !ok(place.width, 300) ||
      !ok(place.height, 200)
    ) {
      return null;
    }
    return place as WindowPlace;
  } catch {
    return null;
  }
}
