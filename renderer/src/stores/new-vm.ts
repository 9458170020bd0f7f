import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type {
  HostFile,
  NewVmCreated,
  NewVmHostInfo,
  NewVmPreview,
  NewVmProblem,
  NewVmProgress,
  NewVmSpec,
  NewVmStep,
  OsCatalog,
  OsDetection,
} from '../../../shared/contract';
import type { VmWindowTab } from '../../../shared/contract/vm-window';
import { call, hostReadsFilePaths, onEvent } from '../api/client';
import { vmWindowRouteHash } from '../components/vm-window/vm-window-route';
import { describeError, type ErrorDetail } from './notifications';
import { useStorageStore } from './storage';

export type NewVmResult<T> = { ok: true; value: T } | { ok: false; error: ErrorDetail };

export interface VmTarget {
  connectionId: string;
  uuid: string;
}

/**
 * VMs created with "Customize before install" and not yet started or abandoned. Kept in
 * localStorage because the VM's own window is another page (same origin) with its own store.
 */
const CUSTOMIZING_KEY = 'virtdeck.newVm.customizing';

function readCustomizing(): string[] {
  try {
    const raw = globalThis.localStorage?.getItem(CUSTOMIZING_KEY);
    const list: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}

interface PopupHost {
  location: { href: string };
  open(url: string, target: string, features: string): unknown;
}

const keyOf = (t: VmTarget): string => `${t.connectionId}/${t.uuid}`;

async function attempt<T>(action: () => Promise<T>): Promise<NewVmResult<T>> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/**
 * The New VM wizard's link to the host: the OS catalog, what the host offers, each step's
 * check, the preview and the creation with its progress, and the "Begin installation" /
 * "Cancel installation" of a VM created to be customized first.
 */
export const useNewVmStore = defineStore('newVm', () => {
  const catalog = ref<OsCatalog | null>(null);
  const catalogError = ref<ErrorDetail | null>(null);
  /** Progress of creations by job id (the dialog shows its own). */
  const progress = reactive(new Map<string, NewVmProgress>());
  const customizing = ref<string[]>(readCustomizing());
  let unsubscribe: (() => void) | null = null;

  function follow(): void {
    if (unsubscribe) return;
    unsubscribe = onEvent('newVm:progress', (p) => {
      if (progress.has(p.jobId)) progress.set(p.jobId, p);
    });
  }

  async function loadCatalog(): Promise<void> {
    if (catalog.value) return;
    const result = await attempt(() => call('newVm:osList', {}));
    if (result.ok) {
      catalog.value = result.value;
      catalogError.value = null;
    } else catalogError.value = result.error;
  }

  function hostInfo(
    connectionId: string,
    arch?: string,
    machine?: string,
  ): Promise<NewVmResult<NewVmHostInfo>> {
    return attempt(() =>
      call('newVm:hostInfo', {
        connectionId,
        ...(arch ? { arch } : {}),
        ...(machine ? { machine } : {}),
      }),
    );
  }

  function detectOs(connectionId: string, media: HostFile): Promise<NewVmResult<OsDetection>> {
    return attempt(() => call('newVm:detectOs', { connectionId, media }));
  }

  function check(spec: NewVmSpec, step: NewVmStep): Promise<NewVmResult<NewVmProblem[]>> {
    return attempt(() => call('newVm:check', { spec, step }));
  }

  function preview(spec: NewVmSpec): Promise<NewVmResult<NewVmPreview>> {
    return attempt(() => call('newVm:preview', { spec }));
  }

  /**
   * Uploads the user's file into a new raw volume of its size, as the storage panel does; a
   * failed or cancelled upload removes the volume again.
   */
  async function uploadMedia(
    target: { connectionId: string; pool: string; volume: string },
    file: File,
    transferId: string,
  ): Promise<NewVmResult<void>> {
    const storage = useStorageStore();
    const created = await storage.act('vol:create', {
      connectionId: target.connectionId,
      pool: target.pool,
      name: target.volume,
      format: 'raw',
      capacity: { value: file.size / 1024, unit: 'KiB' },
    });
    if (!created.ok) return created;
    const sent = await storage.uploadFile(target, { file }, transferId);
    if (sent.ok) return { ok: true, value: undefined };
    await storage.act('vol:delete', target);
    return sent;
  }

  /** Creates the VM; with `customize` it is remembered until begun or abandoned. */
  async function create(input: {
    spec: NewVmSpec;
    jobId: string;
    uuid: string;
    customize: boolean;
  }): Promise<NewVmResult<NewVmCreated>> {
    follow();
    progress.set(input.jobId, { jobId: input.jobId, phase: 'checking' });
    const result = await attempt(() => call('newVm:create', input));
    if (result.ok && input.customize) remember(result.value, true);
    return result;
  }

  async function begin(target: VmTarget): Promise<NewVmResult<void>> {
    const result = await attempt(() => call('newVm:begin', target));
    if (result.ok) remember(target, false);
    return result;
  }

  async function abandon(target: VmTarget): Promise<NewVmResult<void>> {
    const result = await attempt(() => call('newVm:abandon', target));
    if (result.ok) remember(target, false);
    return result;
  }

  function remember(target: VmTarget, pending: boolean): void {
    const key = keyOf(target);
    const rest = readCustomizing().filter((k) => k !== key);
    customizing.value = pending ? [...rest, key] : rest;
    try {
      globalThis.localStorage?.setItem(CUSTOMIZING_KEY, JSON.stringify(customizing.value));
    } catch {
      // Storage full or disabled: this window still knows; the bar just won't survive a reload.
    }
  }

  function isCustomizing(target: VmTarget): boolean {
    return customizing.value.includes(keyOf(target));
  }

  /**
   * Opens the VM's window on `tab`. Electron opens its own; in a browser this page opens a
   * popup, which the browser may block so long after the click: false then, and the dialog
   * offers a button.
   */
  async function openWindow(target: VmTarget, tab: VmWindowTab): Promise<boolean> {
    const opened = await attempt(() => call('vmWindow:open', { ...target, tab }));
    if (opened.ok && opened.value.opened) return true;
    // Read structurally: this module also loads under plain Node in unit tests.
    const page = globalThis as unknown as PopupHost;
    const url = new URL(page.location.href);
    url.hash = vmWindowRouteHash({ ...target, tab });
    const popup = page.open(url.href, `virtdeck-vm-${target.uuid}`, 'popup,width=1100,height=800');
    return popup !== null;
  }

  function forgetProgress(jobId: string): void {
    progress.delete(jobId);
  }

  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  /** A local file can be uploaded: the browser streams it, or Electron reads its path. */
  function canUploadLocalFiles(hostKind: 'electron' | 'web' | undefined): boolean {
    return hostKind !== 'electron' || hostReadsFilePaths();
  }

  return {
    catalog,
    catalogError,
    canUploadLocalFiles,
    progress,
    customizing,
    loadCatalog,
    hostInfo,
    detectOs,
    check,
    preview,
    uploadMedia,
    create,
    begin,
    abandon,
    isCustomizing,
    openWindow,
    forgetProgress,
    dispose,
  };
});
