import {
  mdiAlertOctagonOutline,
  mdiContentSaveOutline,
  mdiHelpCircleOutline,
  mdiPause,
  mdiPlay,
  mdiPowerStandby,
  mdiSleep,
  mdiStop,
} from '@mdi/js';
import type { VmState } from '../../../../shared/contract';

export interface VmStateView {
  icon: string;
  /** A Vuetify theme colour name, or '' for the muted text colour. */
  color: string;
  /** Sort order: live VMs first, then the ones that need attention, then the off ones. */
  rank: number;
}

const views: Record<VmState, VmStateView> = {
  running: { icon: mdiPlay, color: 'success', rank: 0 },
  blocked: { icon: mdiPlay, color: 'success', rank: 1 },
  paused: { icon: mdiPause, color: 'warning', rank: 2 },
  pmsuspended: { icon: mdiSleep, color: 'warning', rank: 3 },
  shutdown: { icon: mdiPowerStandby, color: 'warning', rank: 4 },
  crashed: { icon: mdiAlertOctagonOutline, color: 'error', rank: 5 },
  saved: { icon: mdiContentSaveOutline, color: 'info', rank: 6 },
  shutoff: { icon: mdiStop, color: '', rank: 7 },
  nostate: { icon: mdiHelpCircleOutline, color: '', rank: 8 },
};

export function vmStateView(state: VmState): VmStateView {
  return views[state];
}

/** The states the filter menu offers, in the order the list sorts them. */
export const filterableStates: readonly VmState[] = [
  'running',
  'paused',
  'pmsuspended',
  'shutdown',
  'crashed',
  'saved',
  'shutoff',
];

/** 'blocked' is running for anyone filtering; 'nostate' is off. */
export function filterStateOf(state: VmState): VmState {
  if (state === 'blocked') return 'running';
  if (state === 'nostate') return 'shutoff';
  return state;
}
