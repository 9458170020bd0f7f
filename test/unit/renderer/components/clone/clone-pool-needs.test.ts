import { describe, expect, it } from 'vitest';
import type { CloneDiskPlan, ClonePlan } from '../../../../../shared/contract';
import {
  poolNeeds,
  suggestedVolume,
  type CloneDiskChoice,
} from '../../../../../renderer/src/components/clone/clone-pool-needs';

function disk(target: string, format: string, capacity: number, allocation: number): CloneDiskPlan {
  return {
    target,
    device: 'disk',
    path: `/pool/web01-${target}.${format}`,
    pool: 'default',
    volume: `web01-${target}.${format}`,
    format,
    capacity,
    allocation,
    readonly: false,
    shareable: false,
    cloneable: true,
    blocker: null,
    defaultAction: 'clone',
    suggestedVolume: `web01-clone-${target}.${format}`,
  };
}

const plan: ClonePlan = {
  connectionId: '00000000-0000-4000-8000-000000000001',
  uuid: '00000000-0000-4000-8000-000000000002',
  name: 'web01',
  alias: 'host1',
  suggestedName: 'web01-clone',
  state: 'shutoff',
  pauseWhileCopying: false,
  disks: [disk('vda', 'qcow2', 1000, 300), disk('vdb', 'raw', 500, 10), disk('vdc', 'raw', 50, 5)],
  nvram: null,
  pools: [
    { name: 'default', type: 'dir', active: true, available: 600 },
    { name: 'fast', type: 'dir', active: true, available: 100 },
  ],
  notes: [],
};

const choice = (action: CloneDiskChoice['action'], pool: string): CloneDiskChoice => ({
  action,
  pool,
  volume: '',
});

describe('poolNeeds', () => {
  it('counts qcow2 copies at their use and raw ones at full size, per target pool', () => {
    const needs = poolNeeds(
      plan,
      new Map([
        ['vda', choice('clone', 'default')],
        ['vdb', choice('clone', 'fast')],
        ['vdc', choice('share', 'default')],
      ]),
    );
    expect(needs).toEqual([
      { pool: 'default', need: 300, available: 600, short: false },
      { pool: 'fast', need: 500, available: 100, short: true },
    ]);
  });
});

describe('suggestedVolume', () => {
  it("follows the clone's name as typed", () => {
    expect(suggestedVolume(plan, plan.disks[0]!, 'web02')).toBe('web02-vda.qcow2');
    expect(suggestedVolume(plan, plan.disks[0]!, '  ')).toBe('web01-clone-vda.qcow2');
  });
});
