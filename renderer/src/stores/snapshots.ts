import { defineStore } from 'pinia';
import { reactive } from 'vue';
import type {
  ChannelName,
  InputOf,
  OutputOf,
  SnapshotCapabilities,
  SnapshotTree,
} from '../../../shared/contract';
import { call, onEvent } from '../api/client';
import { describeError, type ErrorDetail } from './notifications';

export interface SnapshotTarget {
  connectionId: string;
  uuid: string;
}

export interface VmSnapshots {
  tree: SnapshotTree | null;
  capabilities: SnapshotCapabilities | null;
  loading: boolean;
  error: ErrorDetail | null;
}

export type SnapshotActResult<C extends ChannelName> =
  { ok: true; value: OutputOf<C> } | { ok: false; error: ErrorDetail };

const REREAD_DELAY_MS = 80;

function keyOf(target: SnapshotTarget): string {
  return `${target.connectionId}/${target.uuid}`;
}

/**
 * The snapshot trees (and what libvirt allows) of the VMs whose Snapshots tab is open.
 * libvirt sends no event when another client changes snapshots, so the tab re-reads when
 * it opens; our own changes and reverts arrive as 'snapshot:changed'.
 */
export const useSnapshotsStore = defineStore('snapshots', () => {
  const vms = reactive(new Map<string, VmSnapshots>());
  const thumbnails = reactive(new Map<string, string | null>());
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const generation = new Map<string, number>();
  let unsubscribe: (() => void) | null = null;

  function entry(target: SnapshotTarget): VmSnapshots {
    const key = keyOf(target);
    let e = vms.get(key);
    if (!e) {
      vms.set(key, { tree: null, capabilities: null, loading: false, error: null });
      e = vms.get(key) as VmSnapshots;
    }
    return e;
  }

  function follow(): void {
    if (unsubscribe) return;
    unsubscribe = onEvent('snapshot:changed', (e) => {
      const key = keyOf(e);
      if (!vms.has(key)) return;
      // A name can come back as a new snapshot with another screenshot.
      forgetThumbnails(key);
      clearTimeout(timers.get(key));
      timers.set(
        key,
        setTimeout(() => {
          timers.delete(key);
          void load({ connectionId: e.connectionId, uuid: e.uuid });
        }, REREAD_DELAY_MS),
      );
    });
  }

  async function load(target: SnapshotTarget): Promise<void> {
    follow();
    const key = keyOf(target);
    const e = entry(target);
    // A slower, older read must not overwrite a newer one's answer.
    const mine = (generation.get(key) ?? 0) + 1;
    generation.set(key, mine);
    e.loading = true;
    try {
      const input = { connectionId: target.connectionId, uuid: target.uuid };
      const [tree, capabilities] = await Promise.all([
        call('snapshot:list', input),
        call('snapshot:capabilities', input),
      ]);
      if (generation.get(key) !== mine) return;
      e.tree = tree;
      e.capabilities = capabilities;
      e.error = null;
    } catch (error) {
      if (generation.get(key) !== mine) return;
      e.error = describeError(error);
    } finally {
      if (generation.get(key) === mine) e.loading = false;
    }
  }

  /** The stored screenshot as a data: URL (null: none), read once per snapshot. */
  async function thumbnail(
    target: SnapshotTarget,
    name: string,
  ): Promise<{ ok: true; value: string | null } | { ok: false; error: ErrorDetail }> {
    const key = `${keyOf(target)}/${name}`;
    if (thumbnails.has(key)) return { ok: true, value: thumbnails.get(key) ?? null };
    try {
      const shot = await call('snapshot:thumbnail', { ...target, name });
      const url = shot ? `data:${shot.mime};base64,${shot.dataBase64}` : null;
      thumbnails.set(key, url);
      return { ok: true, value: url };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }

  /** Any snapshot or save-file call, its failure kept (with libvirt's message) for the UI. */
  async function act<C extends ChannelName>(
    channel: C,
    input: InputOf<C>,
  ): Promise<SnapshotActResult<C>> {
    try {
      return { ok: true, value: await call(channel, input) };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }

  /** The tab closed: stop keeping this VM's tree current. */
  function release(target: SnapshotTarget): void {
    const key = keyOf(target);
    vms.delete(key);
    clearTimeout(timers.get(key));
    timers.delete(key);
    forgetThumbnails(key);
  }

  function forgetThumbnails(vmKey: string): void {
    for (const k of [...thumbnails.keys()]) if (k.startsWith(`${vmKey}/`)) thumbnails.delete(k);
  }

  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  }

  return { vms, entry, load, thumbnail, act, release, dispose };
});
