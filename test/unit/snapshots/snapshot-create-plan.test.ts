import { describe, expect, it } from 'vitest';
import type { SnapshotCreateRequest } from '../../../shared/contract/snapshots';
import { parseXml, readSnapshot } from '../../../shared/xml';
import {
  readSnapshotDomainFacts,
  snapshotCapabilities,
} from '../../../electron/snapshots/snapshot-capabilities';
import { planSnapshotCreate } from '../../../electron/snapshots/snapshot-create-plan';

const target = {
  connectionId: '11111111-1111-4111-8111-111111111111',
  uuid: '22222222-2222-4222-8222-222222222222',
};

function setup(format: string, active: boolean) {
  const xml = `<domain><name>web</name><os><type>hvm</type></os><devices>
    <disk type='file' device='disk'><driver type='${format}'/><source file='/pool/web.${format}'/><target dev='vda'/></disk>
    <disk type='file' device='cdrom'><source file='/iso/a.iso'/><target dev='sda'/><readonly/></disk>
  </devices></domain>`;
  const facts = readSnapshotDomainFacts(parseXml(xml));
  const caps = snapshotCapabilities(facts, 9_000_000, { active, externalSnapshots: 0 }, target);
  const plan = (request: Omit<SnapshotCreateRequest, 'connectionId' | 'uuid'>) =>
    planSnapshotCreate({ ...target, ...request }, facts, caps, 'web');
  return { plan };
}

describe('planSnapshotCreate', () => {
  it('takes an internal snapshot of a shut-off qcow2 VM, the CD-ROM excluded', () => {
    const p = setup('qcow2', false).plan({ name: 'a&b', description: 'x < y' });
    expect(p).toMatchObject({ mode: 'internal', memory: false, flags: [] });
    const view = readSnapshot(parseXml(p.xml));
    expect(view).toMatchObject({ name: 'a&b', description: 'x < y', memory: undefined });
    expect(view.disks.map((d) => [d.name, d.snapshot])).toEqual([
      ['vda', 'internal'],
      ['sda', 'no'],
    ]);
  });

  it('saves memory internally for a running VM and refuses a disk-only internal one', () => {
    const { plan } = setup('qcow2', true);
    const p = plan({ name: 's' });
    expect(readSnapshot(parseXml(p.xml)).memory).toEqual({ snapshot: 'internal', file: undefined });
    expect(() => plan({ name: 's', mode: 'internal', memory: false })).toThrow(/external/);
  });

  it('writes an external memory file beside the first disk, atomically', () => {
    const p = setup('raw', true).plan({ name: 'e1' });
    expect(p).toMatchObject({ mode: 'external', memory: true, flags: ['atomic'] });
    expect(readSnapshot(parseXml(p.xml)).memory).toEqual({
      snapshot: 'external',
      file: '/pool/web.e1.mem',
    });
  });

  it('makes external snapshots without memory disk-only', () => {
    expect(setup('raw', true).plan({ name: 'd', memory: false }).flags).toEqual([
      'disk-only',
      'atomic',
    ]);
    expect(setup('raw', false).plan({ name: 'd' })).toMatchObject({
      flags: ['disk-only'],
      memory: false,
    });
  });

  it('refuses what the capabilities refuse, naming the field', () => {
    const off = setup('raw', false);
    expect(() => off.plan({ name: 'x', mode: 'internal' })).toThrow(/qcow2/);
    expect(() => off.plan({ name: 'x', memory: true })).toThrow(/running/);
    expect(() => off.plan({ name: 'x', memoryFile: '/m' })).toThrow(/memory file/);
  });
});
