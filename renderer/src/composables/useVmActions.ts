import { ref } from 'vue';
import type { VmBulkAction } from '../../../shared/contract';
import { confirmationFor, vmsFor, type VmMenuAction } from '../components/vm/vm-actions';
import { usePreferencesStore } from '../stores/preferences';
import { useVmsStore, type VmItem } from '../stores/vms';

export interface VmConfirmRequest {
  action: VmBulkAction;
  items: VmItem[];
  /** The preference that skips this question next time, if there is one. */
  preference: string | null;
}

export interface VmRestoreFailure {
  item: VmItem;
  message: string;
}

/**
 * Runs what the toolbar, context menu and keyboard ask for: confirms first where the
 * preferences say so, opens the Delete and Tags dialogs, and after a failed restore offers
 * to discard the saved state (virt-manager's recovery). Which dialog is open is UI state,
 * so it lives here and not in a store.
 */
export function useVmActions() {
  const vms = useVmsStore();
  const preferences = usePreferencesStore();

  const confirming = ref<VmConfirmRequest | null>(null);
  /** VMs waiting for the Delete dialog, one after the other. */
  const deleting = ref<VmItem[]>([]);
  const tagging = ref<VmItem | null>(null);
  const migrating = ref<VmItem | null>(null);
  const cloning = ref<VmItem | null>(null);
  const restoreFailed = ref<VmRestoreFailure | null>(null);

  async function run(action: VmBulkAction, items: readonly VmItem[]): Promise<void> {
    const [only] = items;
    if (items.length === 1 && only && (action === 'start' || action === 'restore')) {
      if (only.vm.state === 'saved') {
        const result = await vms.start(only.vm, { quiet: true });
        if (!result.ok) restoreFailed.value = { item: only, message: result.error.detail };
        return;
      }
    }
    await vms.bulk(
      action,
      items.map((item) => item.vm),
    );
  }

  /** Asks for `action` on `items` (the selection): only the VMs it applies to are acted on. */
  function request(action: VmMenuAction, items: readonly VmItem[]): void {
    if (action === 'details' || action === 'open') return;
    if (action === 'delete') {
      deleting.value = items.filter((item) => item.pending === null);
      return;
    }
    if (action === 'tags') {
      tagging.value = items[0] ?? null;
      return;
    }
    if (action === 'clone') {
      cloning.value = vmsFor(action, items)[0] ?? null;
      return;
    }
    if (action === 'migrate') {
      migrating.value = vmsFor(action, items)[0] ?? null;
      return;
    }
    const targets = vmsFor(action, items);
    if (targets.length === 0) return;
    const preference = confirmationFor(action);
    const ask =
      preference === 'always' ||
      (preference !== null && preferences.effective[preference] === true);
    if (ask) {
      confirming.value = {
        action,
        items: targets,
        preference: preference === 'always' ? null : preference,
      };
    } else {
      void run(action, targets);
    }
  }

  async function confirm(dontAskAgain: boolean): Promise<void> {
    const request = confirming.value;
    confirming.value = null;
    if (!request) return;
    if (dontAskAgain && request.preference) {
      await preferences.set({ [request.preference]: false });
    }
    await run(request.action, request.items);
  }

  function cancelConfirm(): void {
    confirming.value = null;
  }

  /** The Delete dialog closed: on to the next VM, or stop after a cancel. */
  function deleteClosed(done: boolean): void {
    deleting.value = done ? deleting.value.slice(1) : [];
  }

  async function discardAndStart(): Promise<void> {
    const failure = restoreFailed.value;
    restoreFailed.value = null;
    if (failure) await vms.start(failure.item.vm, { forceBoot: true });
  }

  return {
    confirming,
    deleting,
    tagging,
    migrating,
    cloning,
    restoreFailed,
    request,
    confirm,
    cancelConfirm,
    deleteClosed,
    discardAndStart,
  };
}
