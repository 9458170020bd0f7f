import { describe, expect, it } from 'vitest';
import type { VmState } from '../../../../../shared/contract';
import {
  actionApplies,
  confirmationFor,
  vmsFor,
  type VmMenuAction,
} from '../../../../../renderer/src/components/vm/vm-actions';
import { vmSummary } from '../../vm-fixtures';

function allowed(state: VmState, extra = {}): VmMenuAction[] {
  const vm = vmSummary({ state, ...extra });
  const actions: VmMenuAction[] = [
    'start',
    'restore',
    'shutdown',
    'reboot',
    'forceOff',
    'reset',
    'pause',
    'resume',
    'save',
    'discardSavedState',
    'sendNmi',
    'autostartOn',
    'autostartOff',
  ];
  return actions.filter((action) => actionApplies(action, vm));
}

describe('actionApplies', () => {
  it("offers virt-manager's actions for each state", () => {
    expect(allowed('shutoff')).toEqual(['start', 'autostartOn']);
    expect(allowed('running')).toEqual([
      'shutdown',
      'reboot',
      'forceOff',
      'reset',
      'pause',
      'save',
      'sendNmi',
      'autostartOn',
    ]);
    expect(allowed('paused', { autostart: true })).toEqual([
      'forceOff',
      'reset',
      'resume',
      'save',
      'autostartOff',
    ]);
    expect(allowed('saved', { hasManagedSave: true })).toEqual([
      'start',
      'restore',
      'discardSavedState',
      'autostartOn',
    ]);
    expect(allowed('crashed')).toEqual(['start', 'forceOff', 'autostartOn']);
  });

  it('never offers save or autostart for a transient VM', () => {
    expect(allowed('running', { persistent: false })).toEqual([
      'shutdown',
      'reboot',
      'forceOff',
      'reset',
      'pause',
      'sendNmi',
    ]);
  });
});

describe('vmsFor', () => {
  it('keeps the VMs an action applies to and that are not busy', () => {
    const running = { vm: vmSummary({ state: 'running' }), pending: null };
    const busy = { vm: vmSummary({ state: 'running' }), pending: 'pause' };
    const off = { vm: vmSummary({ state: 'shutoff' }), pending: null };
    expect(vmsFor('pause', [running, busy, off])).toEqual([running]);
    expect(vmsFor('start', [running, busy, off])).toEqual([off]);
  });
});

describe('confirmationFor', () => {
  it('names the preference for destructive actions and always asks before discarding', () => {
    expect(confirmationFor('forceOff')).toBe('confirmForceOff');
    expect(confirmationFor('shutdown')).toBe('confirmShutdown');
    expect(confirmationFor('discardSavedState')).toBe('always');
    expect(confirmationFor('start')).toBeNull();
    expect(confirmationFor('resume')).toBeNull();
  });
});
