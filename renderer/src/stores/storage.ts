import { defineStore } from 'pinia';
import { reactive } from 'vue';
import type {
  ChannelName,
  InputOf,
  OutputOf,
  PoolSummary,
  Result,
  TransferProgress,
  VolumeSummary,
} from '../../../shared/contract';
import {
  VOLUME_TRANSFER_HEADER,
  VOLUME_TRANSFER_PATH,
  VirtDeckError,
} from '../../../shared/contract';
import { call, localPathOf, onEvent } from '../api/client';
import { describeError, type ErrorDetail } from './notifications';

/** An action's answer for the form or row that asked: the value, or libvirt's message. */
export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: ErrorDetail };

export interface HostStorage {
  pools: PoolSummary[];
  loading: boolean;
  error: ErrorDetail | null;
  /** Volumes by pool name, for the pools somebody looked at. */
  volumes: Record<string, VolumeSummary[]>;
}

export interface TransferView extends TransferProgress {
  /** Set once the transfer ended; 'cancelled' when the user stopped it. */
  outcome?: 'done' | 'failed' | 'cancelled';
  error?: ErrorDetail;
}

// Several events arrive for one change (ours and libvirt's): read once after they settle.
const REREAD_DELAY_MS = 80;

/**
 * Pools and volumes of the hosts whose storage is on screen, re-read on 'pool:changed' (our
 * own actions and libvirt's pool events alike, so virsh elsewhere shows here too).
 */
export const useStorageStore = defineStore('storage', () => {
  const hosts = reactive(new Map<string, HostStorage>());
  const transfers = reactive(new Map<string, TransferView>());
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let unsubscribe: Array<() => void> = [];

  function hostOf(connectionId: string): HostStorage {
    let h = hosts.get(connectionId);
    if (!h) {
      hosts.set(connectionId, { pools: [], loading: false, error: null, volumes: {} });
      h = hosts.get(connectionId) as HostStorage;
    }
    return h;
  }

  function follow(): void {
    if (unsubscribe.length > 0) return;
    unsubscribe = [
      onEvent('pool:changed', (e) => {
        if (!hosts.has(e.connectionId)) return;
        const key = e.connectionId;
        clearTimeout(timers.get(key));
        timers.set(
          key,
          setTimeout(() => {
            timers.delete(key);
            void reread(e.connectionId);
          }, REREAD_DELAY_MS),
        );
      }),
      onEvent('transfer:progress', (p) => {
        const current = transfers.get(p.transferId);
        if (current?.outcome) return;
        transfers.set(p.transferId, { ...current, ...p });
      }),
    ];
  }

  async function reread(connectionId: string): Promise<void> {
    await loadPools(connectionId);
    const h = hostOf(connectionId);
    await Promise.all(
      Object.keys(h.volumes).map(async (pool) => {
        if (h.pools.some((p) => p.name === pool && p.state === 'running')) {
          await loadVolumes(connectionId, pool);
        } else {
          // A stopped or deleted pool has no volumes to show.
          delete h.volumes[pool];
        }
      }),
    );
  }

  async function loadPools(connectionId: string): Promise<void> {
    follow();
    const h = hostOf(connectionId);
    h.loading = true;
    try {
      h.pools = await call('pool:list', { connectionId });
      h.error = null;
    } catch (error) {
      h.error = describeError(error);
    } finally {
      h.loading = false;
    }
  }

  async function loadVolumes(connectionId: string, pool: string): Promise<ActionResult<void>> {
    const h = hostOf(connectionId);
    try {
      h.volumes[pool] = await call('vol:list', { connectionId, pool });
      return { ok: true, value: undefined };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }

  /** Any storage call, its failure kept for the caller to show inline. */
  async function act<C extends ChannelName>(
    channel: C,
    input: InputOf<C>,
  ): Promise<ActionResult<OutputOf<C>>> {
    try {
      return { ok: true, value: await call(channel, input) };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }

  /**
   * Uploads the user's file. In the web host only the browser can read it, so it goes as
   * an HTTP body to the host's transfer endpoint; Electron's renderer names a local path.
   */
  async function uploadFile(
    target: { connectionId: string; pool: string; volume: string },
    source: { file: File } | { localPath: string },
    transferId: string,
  ): Promise<ActionResult<{ bytes: number }>> {
    const size = 'file' in source ? source.file.size : 0;
    // Electron reads a picked file by its path; only a browser has to stream it itself.
    const byPath = 'file' in source ? localPathOf(source.file) : source.localPath;
    transfers.set(transferId, {
      transferId,
      ...target,
      direction: 'upload',
      bytes: 0,
      total: size,
      bytesPerSecond: 0,
    });
    const result =
      'file' in source && byPath === null
        ? await putFile(target, source.file, transferId)
        : await act('vol:upload', { ...target, transferId, localPath: byPath ?? '' });
    finish(transferId, result);
    return result;
  }

  async function putFile(
    target: { connectionId: string; pool: string; volume: string },
    file: File,
    transferId: string,
  ): Promise<ActionResult<{ bytes: number }>> {
    const query = new URLSearchParams({ ...target, transferId });
    try {
      const res = await fetch(`${VOLUME_TRANSFER_PATH}?${query.toString()}`, {
        method: 'PUT',
        headers: { [VOLUME_TRANSFER_HEADER]: '1', 'Content-Type': 'application/octet-stream' },
        body: file,
      });
      if (!res.headers.get('content-type')?.startsWith('application/json')) {
        return { ok: false, error: { detail: `${res.status} ${(await res.text()).trim()}` } };
      }
      const result = (await res.json()) as Result<{ bytes: number }>;
      return result.ok
        ? result
        : { ok: false, error: describeError(new VirtDeckError(result.error)) };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }

  /** The browser saves the volume itself: the endpoint answers as an attachment. */
  function downloadUrl(
    target: { connectionId: string; pool: string; volume: string },
    transferId: string,
  ): string {
    const query = new URLSearchParams({ ...target, transferId });
    return `${VOLUME_TRANSFER_PATH}?${query.toString()}`;
  }

  async function downloadToPath(
    target: { connectionId: string; pool: string; volume: string },
    localPath: string,
    transferId: string,
  ): Promise<ActionResult<{ bytes: number }>> {
    const result = await act('vol:download', { ...target, transferId, localPath });
    finish(transferId, result);
    return result;
  }

  function finish(transferId: string, result: ActionResult<unknown>): void {
    const current = transfers.get(transferId);
    if (!current) return;
    if (result.ok) transfers.set(transferId, { ...current, bytes: current.total, outcome: 'done' });
    else {
      const cancelled = /cancelled/.test(result.error.detail);
      transfers.set(transferId, {
        ...current,
        outcome: cancelled ? 'cancelled' : 'failed',
        error: result.error,
      });
    }
  }

  async function cancelTransfer(transferId: string): Promise<void> {
    await act('transfer:cancel', { transferId });
  }

  function forgetTransfer(transferId: string): void {
    transfers.delete(transferId);
  }

  function dispose(): void {
    for (const off of unsubscribe) off();
    unsubscribe = [];
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  }

  return {
    hosts,
    transfers,
    hostOf,
    loadPools,
    loadVolumes,
    act,
    uploadFile,
    downloadUrl,
    downloadToPath,
    cancelTransfer,
    forgetTransfer,
    dispose,
  };
});
