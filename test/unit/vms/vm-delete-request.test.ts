import { describe, expect, it } from 'vitest';
import { VirtDeckError } from '../../../shared/contract/errors';
import { checkDeleteRequest } from '../../../electron/vms/vm-delete';
import type { DeletePlanWithVolumes, PlannedDisk } from '../../../electron/vms/vm-delete-plan';

function disk(target: string, over: Partial<PlannedDisk> = {}): PlannedDisk {
  const path = `/images/${target}.qcow2`;
  return {
    target,
    device: 'disk',
    path,
    pool: 'default',
    volume: `${target}.qcow2`,
    deletable: true,
    keepReason: null,
    message: null,
    usedBy: [],
    suggested: true,
    vol: { pool: 'default', name: `${target}.qcow2`, key: path },
    ...over,
  };
}

const plan: DeletePlanWithVolumes = {
  connectionId: '0b0f1d7e-6a1c-4d2b-9f55-1c1f0a9e7a11',
  uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f',
  name: 'web01',
  alias: 'host1',
  state: 'shutoff',
  active: false,
  persistent: true,
  disks: [
    disk('vda'),
    disk('vdb'),
    disk('vdc', {
      pool: null,
      volume: null,
      deletable: false,
      keepReason: 'not-in-pool',
      message: "Storage volume '/srv/vdc.img' is not managed by libvirt. Remove it manually.",
      suggested: false,
      vol: null,
    }),
  ],
  nvram: null,
  managedSave: false,
};

function refusal(run: () => unknown): VirtDeckError {
  try {
    run();
  } catch (err) {
    if (err instanceof VirtDeckError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('checkDeleteRequest', () => {
  it('returns the chosen deletable disks once each, keeping the unlisted and unticked', () => {
    const chosen = checkDeleteRequest(plan, {
      disks: [
        { target: 'vdb', delete: true },
        { target: 'vda', delete: false },
        { target: 'vdb', delete: true },
        { target: 'vdc', delete: false },
      ],
    });
    expect(chosen.map((d) => [d.target, d.vol.name])).toEqual([['vdb', 'vdb.qcow2']]);
  });

  it('refuses, naming why, when a chosen disk is outside every pool', () => {
    const err = refusal(() =>
      checkDeleteRequest(plan, { disks: [{ target: 'vdc', delete: true }] }),
    );
    expect(err.kind).toBe('validation');
    expect(err.path).toBe('disks');
    expect(err.message).toContain('Nothing was deleted');
    expect(err.message).toContain("vdc: Storage volume '/srv/vdc.img' is not managed by libvirt");
  });

  it('refuses a disk the VM does not have', () => {
    const err = refusal(() =>
      checkDeleteRequest(plan, {
        disks: [
          { target: 'vda', delete: true },
          { target: 'vdz', delete: true },
        ],
      }),
    );
    expect(err.message).toContain("web01 has no disk 'vdz' (at disks.1)");
  });

  it('accepts deleting no disk at all', () => {
    expect(checkDeleteRequest(plan, { disks: [] })).toEqual([]);
  });
});
