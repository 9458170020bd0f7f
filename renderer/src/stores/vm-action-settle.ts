import type { VmBulkAction, VmState, VmSummary } from '../../../shared/contract';

/** Everything a VM row can be busy with. */
export type VmPendingAction = VmBulkAction | 'delete' | 'setTags';

const ACTIVE: ReadonlySet<VmState> = new Set([
  'running',
  'blocked',
  'paused',
  'shutdown',
  'crashed',
  'pmsuspended',
]);

export function isActiveState(state: VmState): boolean {
  return ACTIVE.has(state);
}

/**
 * When a VM's busy mark may go: the action's reply only says libvirt accepted it, the new
 * state arrives later as an event. `null` means the reply is the end of it — the action
 * changes nothing the list shows (reboot, NMI), or the guest decides when (ACPI shutdown:
 * a guest without ACPI would otherwise look busy for ever).
 */
export function settledBy(action: VmPendingAction): ((vm: VmSummary) => boolean) | null {
  switch (action) {
    case 'start':
    case 'restore':
    case 'discardSavedState':
      // 'discardSavedState' alone leaves the VM shut off; the flag is what changes.
      return action === 'discardSavedState'
        ? (vm) => !vm.hasManagedSave
        : (vm) => isActiveState(vm.state) && vm.state !== 'crashed';
    case 'forceOff':
      return (vm) => !isActiveState(vm.state);
    case 'pause':
      return (vm) => vm.state === 'paused';
    case 'resume':
      return (vm) => vm.state !== 'paused';
    case 'save':
      return (vm) => vm.state === 'saved' || (!isActiveState(vm.state) && vm.hasManagedSave);
    case 'autostartOn':
      return (vm) => vm.autostart;
    case 'autostartOff':
      return (vm) => !vm.autostart;
    case 'shutdown':
    case 'reboot':
    case 'reset':
    case 'sendNmi':
    case 'setTags':
      return null;
    case 'delete':
      // Ends with 'vm:removed' (the row goes) or with the reply's error.
      return () => false;
  }
}
