import { describe, expect, it } from 'vitest';
import {
  VIR_DOMAIN_CRASHED,
  VIR_DOMAIN_PAUSED,
  VIR_DOMAIN_PMSUSPENDED,
  VIR_DOMAIN_RUNNING,
  VIR_DOMAIN_SHUTOFF,
  VIR_DOMAIN_PAUSED_IOERROR,
  VIR_DOMAIN_RUNNING_BOOTED,
  VIR_DOMAIN_SHUTOFF_DESTROYED,
  VIR_DOMAIN_SHUTOFF_SAVED,
} from '../../../electron/libvirt/protocol/constants.gen';
import { vmStateOf } from '../../../electron/vms/vm-state';
import { basicVmSummary, diffVmSummary, type DomainFacts } from '../../../electron/vms/vm-summary';

const facts: DomainFacts = {
  connectionId: '0b0f1d7e-6a1c-4d2b-9f55-1c1f0a9e7a11',
  uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f',
  name: 'web01',
  id: 4,
  state: VIR_DOMAIN_RUNNING,
  reason: VIR_DOMAIN_RUNNING_BOOTED,
  persistent: true,
  autostart: false,
  hasManagedSave: false,
};

describe('vmStateOf', () => {
  it('names libvirt states and reasons as virsh does', () => {
    expect(vmStateOf(VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, false)).toEqual({
      state: 'running',
      stateReason: 'booted',
    });
    expect(vmStateOf(VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR, false)).toEqual({
      state: 'paused',
      stateReason: 'ioerror',
    });
    expect(vmStateOf(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED, false).state).toBe(
      'shutoff',
    );
    expect(vmStateOf(VIR_DOMAIN_CRASHED, 0, false).state).toBe('crashed');
    expect(vmStateOf(VIR_DOMAIN_PMSUSPENDED, 0, false).state).toBe('pmsuspended');
  });

  it("shows a shut-off VM with a managed-save image as 'saved'", () => {
    expect(vmStateOf(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED, true)).toEqual({
      state: 'saved',
      stateReason: 'saved',
    });
    // A running VM keeps its state whatever image lies around.
    expect(vmStateOf(VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, true).state).toBe('running');
  });

  it('survives numbers newer than our tables', () => {
    expect(vmStateOf(42, 0, false)).toEqual({ state: 'nostate', stateReason: 'unknown' });
    expect(vmStateOf(VIR_DOMAIN_RUNNING, 999, false)).toEqual({
      state: 'running',
      stateReason: 'unknown',
    });
  });
});

describe('VM summaries', () => {
  it('builds a row from the bulk facts alone, ID null when not running', () => {
    const row = basicVmSummary(
      { ...facts, id: -1, state: VIR_DOMAIN_SHUTOFF, reason: 0 },
      {
        vcpus: 2,
        memoryKiB: 4096,
      },
    );
    expect(row).toMatchObject({
      id: null,
      state: 'shutoff',
      vcpus: 2,
      maxVcpus: 2,
      memoryKiB: 4096,
    });
    expect(row.tags).toEqual([]);
  });

  it('reports only the fields that changed, comparing arrays by value', () => {
    const before = { ...basicVmSummary(facts), tags: ['a', 'b'] };
    expect(diffVmSummary(before, { ...before, tags: ['a', 'b'] })).toEqual({});
    expect(
      diffVmSummary(before, {
        ...before,
        tags: ['a'],
        state: 'paused',
        stateReason: 'user',
        disks: [],
      }),
    ).toEqual({ tags: ['a'], state: 'paused', stateReason: 'user' });
    expect(diffVmSummary(before, { ...before, id: null })).toEqual({ id: null });
  });
});
