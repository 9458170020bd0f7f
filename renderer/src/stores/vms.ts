import { defineStore } from 'pinia';
import { computed, ref, shallowReactive } from 'vue';
import {
  VirtDeckError,
  type VmBulkAction,
  type VmDeletePlan,
  type VmDeleteRequest,
  type VmDeleteResult,
  type VmEvents,
  type VmHostList,
  type VmList,
  type VmPatch,
  type VmSummary,
  type VmTarget,
} from '../../../shared/contract';
import { call, onEvent } from '../api/client';
import type { MessageKey } from '../locales/message-key';
import { describeError, useNotificationsStore, type ErrorDetail } from './notifications';
import type { VmPendingAction } from './vm-action-settle';
import { VmPendingTracker } from './vm-pending-tracker';

export type { VmPendingAction } from './vm-action-settle';

/** One VM as the list shows it. Shallow-reactive: `vm` is replaced, never mutated, on change. */
export interface VmItem {
  readonly key: string;
  vm: VmSummary;
  pending: VmPendingAction | null;
  /** The last failed action on this VM, as libvirt worded it. */
  lastError: ErrorDetail | null;
}

export type VmActionResult<T> = { ok: true; value: T } | { ok: false; error: ErrorDetail };

export function vmKey(target: { connectionId: string; uuid: string }): string {
  return `${target.connectionId}/${target.uuid}`;
}

/** If an action's event has not come this long after its reply, the VM is read again. */
export const SETTLE_FALLBACK_MS = 5000;

/**
 * Every VM of every connected host, keyed by connection id and UUID. The list comes from
 * 'vm:list'; after that only events ('vm:listReset', 'vm:added', 'vm:changed', 'vm:removed')
 * change it — nothing is polled. Actions mark their VM pending until the event with the new
 * state arrives, and keep libvirt's error on the VM when they fail.
 *
 * Built for thousands of VMs: the map and each item are shallow-reactive, so a patch to one
 * VM re-renders one row, and a whole host's list is applied in one pass.
 */
export const useVmsStore = defineStore('vms', () => {
  const notifications = useNotificationsStore();

  const items = shallowReactive(new Map<string, VmItem>());
  const hosts = ref<Record<string, VmHostList>>({});
  const loaded = ref(false);
  const loading = ref(false);
  const lastError = ref<ErrorDetail | null>(null);

  const list = computed(() => [...items.values()]);
  /** Every tag in use, sorted, for suggestions and the tag filter. */
  const allTags = computed(() => {
    const tags = new Set<string>();
    for (const item of items.values()) for (const tag of item.vm.tags) tags.add(tag);
    return [...tags].sort((a, b) => a.localeCompare(b));
  });

  const pending = new VmPendingTracker(
    items,
    (key) => {
      const vm = items.get(key)?.vm;
      return vm ? refresh(vm) : Promise.resolve();
    },
    SETTLE_FALLBACK_MS,
  );
  let buffered: Array<() => void> | null = null;
  let disposers: Array<() => void> = [];

  function whenLoaded(apply: () => void): void {
    if (buffered) buffered.push(apply);
    else apply();
  }

  function hostAlias(connectionId: string): string {
    return hosts.value[connectionId]?.alias ?? connectionId;
  }

  function upsert(vm: VmSummary): void {
    const key = vmKey(vm);
    const existing = items.get(key);
    if (existing) {
      existing.vm = vm;
      pending.check(existing);
      return;
    }
    items.set(key, shallowReactive<VmItem>({ key, vm, pending: null, lastError: null }));
  }

  function removeLocal(key: string): void {
    pending.clear(key);
    items.delete(key);
  }

  function patch(connectionId: string, uuid: string, change: VmPatch): void {
    const item = items.get(vmKey({ connectionId, uuid }));
    if (!item) return;
    item.vm = { ...item.vm, ...change };
    pending.check(item);
  }

  function resetHost(reset: VmEvents['vm:listReset']): void {
    const { vms, update, ...host } = reset;
    hosts.value = { ...hosts.value, [host.connectionId]: host };
    if (update) {
      // The rows of the 'loading' list stay; the update fills them in (whole values, so a
      // row that is complete already, from a 'vm:list' read meanwhile, stays the same).
      for (const uuid of update.removed)
        removeLocal(vmKey({ connectionId: host.connectionId, uuid }));
      for (const { uuid, patch: change } of update.changed) patch(host.connectionId, uuid, change);
      for (const vm of vms) upsert(vm);
      return;
    }
    const keep = new Set(vms.map(vmKey));
    for (const [key, item] of items) {
      if (item.vm.connectionId === host.connectionId && !keep.has(key)) removeLocal(key);
    }
    for (const vm of vms) upsert(vm);
  }

  function applyList(result: VmList): void {
    hosts.value = Object.fromEntries(result.hosts.map((host) => [host.connectionId, host]));
    const keep = new Set(result.vms.map(vmKey));
    for (const key of [...items.keys()]) if (!keep.has(key)) removeLocal(key);
    for (const vm of result.vms) upsert(vm);
  }

  function subscribe(): void {
    disposers = [
      onEvent('vm:listReset', (reset) => whenLoaded(() => resetHost(reset))),
      onEvent('vm:added', (vm) => whenLoaded(() => upsert(vm))),
      onEvent('vm:changed', ({ connectionId, uuid, patch: change }) =>
        whenLoaded(() => patch(connectionId, uuid, change)),
      ),
      onEvent('vm:removed', ({ connectionId, uuid }) =>
        whenLoaded(() => removeLocal(vmKey({ connectionId, uuid }))),
      ),
    ];
  }

  async function init(): Promise<void> {
    dispose();
    subscribe();
    await load();
  }

  let loadRun: Promise<void> | null = null;

  /**
   * Reads the whole list. Single-flight: a call while one runs joins it, since one set of
   * buffered events belongs to one read (a second read used to swap the buffer away from
   * under the first and crash it).
   */
  function load(): Promise<void> {
    loadRun ??= loadOnce().finally(() => {
      loadRun = null;
    });
    return loadRun;
  }

  async function loadOnce(): Promise<void> {
    loading.value = true;
    // Events that arrive while the list is read may be newer than the reply: they wait.
    const waiting: Array<() => void> = [];
    buffered = waiting;
    try {
      // User-timing marks: the page-load breakdown of `npm run bench:ui` (and DevTools) show them.
      performance.mark('vd:vm-list:call');
      const result = await call('vm:list', {});
      performance.mark('vd:vm-list:reply');
      applyList(result);
      performance.mark('vd:vm-list:applied');
      loaded.value = true;
      lastError.value = null;
    } catch (error) {
      lastError.value = describeError(error);
      notifications.reportError('vms.errors.load', error);
    } finally {
      if (buffered === waiting) buffered = null;
      for (const apply of waiting) apply();
      loading.value = false;
    }
  }

  function nameOf(target: VmTarget, fallback?: string): string {
    return items.get(vmKey(target))?.vm.name ?? fallback ?? target.uuid;
  }

  function reportFailure(target: VmTarget, action: VmPendingAction, error: ErrorDetail): void {
    notifications.notify({
      severity: 'error',
      summary: {
        key: `vms.errors.${action}` as MessageKey,
        params: { name: nameOf(target), host: hostAlias(target.connectionId) },
      },
      ...error,
    });
  }

  /** Reads one VM again (after a lost event); a VM that is gone leaves the list. */
  async function refresh(target: VmTarget): Promise<void> {
    try {
      upsert(await call('vm:get', target));
    } catch (error) {
      const detail = describeError(error);
      if (detail.codeName === 'VIR_ERR_NO_DOMAIN') removeLocal(vmKey(target));
    }
  }

  async function run<T>(
    target: VmTarget,
    action: VmPendingAction,
    request: () => Promise<T>,
    options: { notify?: boolean } = {},
  ): Promise<VmActionResult<T>> {
    pending.mark(vmKey(target), action);
    try {
      const value = await request();
      pending.accepted(vmKey(target), action);
      return { ok: true, value };
    } catch (error) {
      const detail = describeError(error);
      pending.failed(vmKey(target), action, detail);
      if (options.notify !== false) reportFailure(target, action, detail);
      return { ok: false, error: detail };
    }
  }

  const target = (vm: VmTarget): VmTarget => ({ connectionId: vm.connectionId, uuid: vm.uuid });

  /**
   * Starts a VM (a saved one resumes from its image). A failed restore is not notified
   * here: the caller offers to discard the saved state, as virt-manager does.
   */
  function start(vm: VmTarget, options: { forceBoot?: boolean; quiet?: boolean } = {}) {
    const saved = items.get(vmKey(vm))?.vm.state === 'saved';
    return run(
      target(vm),
      saved && !options.forceBoot ? 'restore' : 'start',
      () => call('vm:start', { ...target(vm), ...(options.forceBoot ? { forceBoot: true } : {}) }),
      { notify: !options.quiet },
    );
  }

  type SimpleAction = Exclude<VmBulkAction, 'start' | 'autostartOn' | 'autostartOff'>;
  function simple(action: SimpleAction, vm: VmTarget, options: { quiet?: boolean } = {}) {
    return run(target(vm), action, () => call(`vm:${action}`, target(vm)), {
      notify: !options.quiet,
    });
  }

  function setAutostart(vm: VmTarget, autostart: boolean) {
    return run(target(vm), autostart ? 'autostartOn' : 'autostartOff', () =>
      call('vm:setAutostart', { ...target(vm), autostart }),
    );
  }

  async function setTags(vm: VmTarget, tags: string[]): Promise<VmActionResult<string[]>> {
    const result = await run(target(vm), 'setTags', () =>
      call('vm:setTags', { ...target(vm), tags }),
    );
    if (!result.ok) return result;
    // The reply is the stored list; the metadata event may come a moment later.
    patch(vm.connectionId, vm.uuid, { tags: result.value.tags });
    return { ok: true, value: result.value.tags };
  }

  async function deletePlan(vm: VmTarget): Promise<VmActionResult<VmDeletePlan>> {
    try {
      return { ok: true, value: await call('vm:deletePlan', target(vm)) };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }

  /** Deletes a VM; the dialog shows a refusal, so it is not notified. */
  async function remove(request: VmDeleteRequest): Promise<VmActionResult<VmDeleteResult>> {
    const result = await run(target(request), 'delete', () => call('vm:delete', request), {
      notify: false,
    });
    if (!result.ok) return result;
    const failed = result.value.disks.filter((disk) => !disk.deleted && disk.error);
    if (failed.length > 0) {
      notifications.notify({
        severity: 'warning',
        summary: {
          key: 'vms.delete.disksFailed',
          params: { name: result.value.name, host: hostAlias(request.connectionId) },
        },
        detail: failed
          .map((disk) => `${disk.path ?? disk.target}: ${disk.error?.message ?? ''}`)
          .join('\n'),
      });
    }
    return result;
  }

  /** One action on many VMs; each VM shows its own progress, failures are summed up. */
  async function bulk(action: VmBulkAction, vms: readonly VmTarget[]): Promise<number> {
    const targets = vms.map(target);
    if (targets.length === 0) return 0;
    if (targets.length === 1) {
      const [only] = targets as [VmTarget];
      if (action === 'start') return (await start(only)).ok ? 0 : 1;
      if (action === 'autostartOn' || action === 'autostartOff') {
        return (await setAutostart(only, action === 'autostartOn')).ok ? 0 : 1;
      }
      return (await simple(action, only)).ok ? 0 : 1;
    }
    for (const t of targets) pending.mark(vmKey(t), action);
    let outcomes: Array<{ target: VmTarget; error: ErrorDetail | null }>;
    try {
      const { results } = await call('vm:bulk', { action, targets });
      outcomes = results.map((outcome) => ({
        target: target(outcome),
        error: outcome.ok ? null : describeError(new VirtDeckError(outcome.error)),
      }));
    } catch (error) {
      const detail = describeError(error);
      outcomes = targets.map((t) => ({ target: t, error: detail }));
    }
    const failures: string[] = [];
    for (const { target: t, error: detail } of outcomes) {
      if (!detail) {
        pending.accepted(vmKey(t), action);
      } else {
        pending.failed(vmKey(t), action, detail);
        failures.push(`${nameOf(t)} (${hostAlias(t.connectionId)}): ${detail.detail}`);
      }
    }
    if (failures.length > 0) {
      notifications.notify({
        severity: 'error',
        summary: {
          key: 'vms.errors.bulk',
          params: { failed: failures.length, total: targets.length },
        },
        detail: failures.join('\n'),
      });
    }
    return failures.length;
  }

  function dispose(): void {
    for (const stop of disposers) stop();
    disposers = [];
    pending.clearAll();
  }

  return {
    items,
    hosts,
    loaded,
    loading,
    lastError,
    list,
    allTags,
    hostAlias,
    init,
    load,
    refresh,
    start,
    shutdown: (vm: VmTarget) => simple('shutdown', vm),
    reboot: (vm: VmTarget) => simple('reboot', vm),
    forceOff: (vm: VmTarget) => simple('forceOff', vm),
    reset: (vm: VmTarget) => simple('reset', vm),
    pause: (vm: VmTarget) => simple('pause', vm),
    resume: (vm: VmTarget) => simple('resume', vm),
    save: (vm: VmTarget) => simple('save', vm),
    restore: (vm: VmTarget) => simple('restore', vm, { quiet: true }),
    discardSavedState: (vm: VmTarget) => simple('discardSavedState', vm),
    sendNmi: (vm: VmTarget) => simple('sendNmi', vm),
    setAutostart,
    setTags,
    deletePlan,
    remove,
    bulk,
    dispose,
  };
});
