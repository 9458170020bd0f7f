import type {
  EffectivePreferences,
  VmBulkAction,
  VmState,
  VmSummary,
} from '../../../../shared/contract';

/** What the toolbar, the context menu and the keyboard can do with VMs. */
export type VmMenuAction =
  VmBulkAction | 'delete' | 'tags' | 'details' | 'open' | 'migrate' | 'clone';

const RUNNING: ReadonlySet<VmState> = new Set(['running', 'blocked']);
const LIVE: ReadonlySet<VmState> = new Set(['running', 'blocked', 'paused']);
const ACTIVE: ReadonlySet<VmState> = new Set([
  'running',
  'blocked',
  'paused',
  'shutdown',
  'crashed',
  'pmsuspended',
]);

/**
 * Whether an action makes sense for a VM in its current state — virt-manager's rules
 * (vmmenu.py): Run for an inactive VM, Shut Down / Reboot / Pause for a running one, Force
 * Off for anything with a QEMU process, Save for a live persistent one.
 */
export function actionApplies(action: VmMenuAction, vm: VmSummary): boolean {
  const state = vm.state;
  switch (action) {
    case 'start':
      // A saved VM's Start restores it (as virt-manager's Run does).
      return state === 'shutoff' || state === 'crashed' || state === 'nostate' || state === 'saved';
    case 'restore':
    case 'discardSavedState':
      return state === 'saved' || (vm.hasManagedSave && !ACTIVE.has(state));
    case 'shutdown':
    case 'reboot':
    case 'sendNmi':
      return RUNNING.has(state);
    case 'pause':
      return RUNNING.has(state);
    case 'resume':
      return state === 'paused';
    case 'reset':
      return LIVE.has(state);
    case 'forceOff':
      return ACTIVE.has(state);
    case 'save':
      return LIVE.has(state) && vm.persistent;
    case 'autostartOn':
      return vm.persistent && !vm.autostart;
    case 'autostartOff':
      return vm.persistent && vm.autostart;
    case 'migrate':
      // Live for a running or paused VM, offline for a shut-off one.
      return LIVE.has(state) || state === 'shutoff';
    case 'clone':
    case 'delete':
    case 'tags':
    case 'details':
    case 'open':
      return true;
  }
}

/** The VMs (of a selection) an action would act on. */
export function vmsFor<T extends { vm: VmSummary; pending: unknown }>(
  action: VmMenuAction,
  items: readonly T[],
): T[] {
  return items.filter((item) => item.pending === null && actionApplies(action, item.vm));
}

/**
 * Which preference decides whether an action is confirmed first; 'always' for one that
 * throws data away with no preference to skip it, null for one that is never asked.
 */
export function confirmationFor(
  action: VmMenuAction,
): keyof EffectivePreferences | 'always' | null {
  switch (action) {
    case 'shutdown':
      return 'confirmShutdown';
    case 'reboot':
      return 'confirmReboot';
    case 'forceOff':
      return 'confirmForceOff';
    case 'reset':
      return 'confirmReset';
    case 'pause':
      return 'confirmPause';
    case 'save':
      return 'confirmSave';
    case 'discardSavedState':
      // Throws away the guest's saved memory.
      return 'always';
    default:
      return null;
  }
}

/** The order of the lifecycle entries in menus; `null` draws a divider. */
export const lifecycleMenu: readonly (VmBulkAction | null)[] = [
  'start',
  'restore',
  'shutdown',
  'reboot',
  'pause',
  'resume',
  null,
  'forceOff',
  'reset',
  'save',
  'discardSavedState',
  'sendNmi',
  null,
  'autostartOn',
  'autostartOff',
];
