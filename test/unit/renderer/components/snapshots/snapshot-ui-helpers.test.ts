import { describe, expect, it } from 'vitest';
import type {
  SnapshotCapabilities,
  SnapshotNode,
  SnapshotVerdict,
} from '../../../../../shared/contract';
import {
  findSnapshot,
  snapshotRows,
} from '../../../../../renderer/src/components/snapshots/snapshot-rows';
import {
  createModeChoices,
  deleteVerdict,
  memoryChoice,
  preferredMode,
  revertVerdict,
} from '../../../../../renderer/src/components/snapshots/snapshot-verdicts';
import { suggestSnapshotName } from '../../../../../renderer/src/components/snapshots/suggest-snapshot-name';
import { verdictMessage } from '../../../../../renderer/src/components/snapshots/verdict-message';

function node(
  name: string,
  children: SnapshotNode[] = [],
  extra: Partial<SnapshotNode> = {},
): SnapshotNode {
  const n: SnapshotNode = {
    name,
    description: '',
    creationTime: 1,
    state: 'shutoff',
    hasMemory: false,
    diskOnly: false,
    location: 'internal',
    memoryFile: null,
    disks: [],
    parent: null,
    current: false,
    hasThumbnail: false,
    children: [],
    ...extra,
  };
  n.children = children.map((c) => ({ ...c, parent: name }));
  return n;
}

const ALLOWED: SnapshotVerdict = { allowed: true };
function caps(over: Partial<SnapshotCapabilities> = {}): SnapshotCapabilities {
  return {
    connectionId: 'c',
    uuid: 'u',
    libvirtVersion: '9.0.0',
    active: false,
    externalSnapshots: 0,
    firmware: 'bios',
    disks: [{ target: 'vda', format: 'qcow2', path: '/p/vda.qcow2', included: true }],
    internal: ALLOWED,
    external: ALLOWED,
    memory: { allowed: false, code: 'not-running', reason: 'host words' },
    revertExternal: {
      allowed: false,
      code: 'revert-external-old-libvirt',
      reason: 'host words',
    },
    deleteExternal: ALLOWED,
    defaultMode: 'internal',
    ...over,
  };
}

describe('suggestSnapshotName', () => {
  it('takes the first free snapshot<N>, looking through the whole tree', () => {
    expect(suggestSnapshotName([])).toBe('snapshot1');
    const tree = [node('snapshot1', [node('snapshot2', [node('snapshot4')])]), node('x')];
    expect(suggestSnapshotName(tree)).toBe('snapshot3');
  });
});

describe('snapshotRows', () => {
  it('lists parents before children with depth and descendant counts', () => {
    const tree = [node('a', [node('b', [node('c')]), node('d')]), node('e')];
    expect(snapshotRows(tree).map((r) => [r.node.name, r.depth, r.descendants])).toEqual([
      ['a', 0, 3],
      ['b', 1, 1],
      ['c', 2, 0],
      ['d', 1, 0],
      ['e', 0, 0],
    ]);
    expect(findSnapshot(tree, 'c')?.parent).toBe('b');
    expect(findSnapshot(tree, 'zz')).toBeNull();
  });
});

describe('snapshot verdicts', () => {
  it('refuses a revert to an external snapshot only as the capabilities say', () => {
    const c = caps();
    expect(revertVerdict(c, node('i')).allowed).toBe(true);
    expect(revertVerdict(c, node('x', [], { location: 'external' }))).toBe(c.revertExternal);
  });

  it('checks the subtree for external snapshots when deleting with children', () => {
    const refused: SnapshotVerdict = {
      allowed: false,
      code: 'delete-external-old-libvirt',
      reason: 'r',
    };
    const c = caps({ deleteExternal: refused });
    const tree = node('a', [node('b', [], { location: 'external' })]);
    expect(deleteVerdict(c, tree, false).allowed).toBe(true);
    expect(deleteVerdict(c, tree, true)).toBe(refused);
  });

  it('prefers the default mode, else the first allowed, else none', () => {
    const uefi: SnapshotVerdict = { allowed: false, code: 'uefi-internal', reason: 'r' };
    expect(preferredMode(caps())).toBe('internal');
    expect(preferredMode(caps({ defaultMode: null, internal: uefi }))).toBe('external');
    const none: SnapshotVerdict = { allowed: false, code: 'no-disks', reason: 'r' };
    expect(preferredMode(caps({ defaultMode: null, internal: uefi, external: none }))).toBeNull();
    expect(createModeChoices(caps({ internal: uefi })).map((m) => m.verdict.allowed)).toEqual([
      false,
      true,
    ]);
  });

  it('forces memory for internal snapshots of a running VM, offers it for external ones', () => {
    const running = caps({ active: true, memory: ALLOWED });
    expect(memoryChoice(running, 'internal')).toMatchObject({ editable: false, value: true });
    expect(memoryChoice(running, 'external')).toMatchObject({ editable: true, value: true });
    expect(memoryChoice(caps(), 'external')).toMatchObject({ editable: false, value: false });
  });
});

describe('verdictMessage', () => {
  it('names the disk that is not qcow2 and the host libvirt version', () => {
    const c = caps({
      disks: [
        { target: 'vda', format: 'qcow2', path: '/a', included: true },
        { target: 'hdc', format: 'raw', path: '/iso', included: false },
        { target: 'vdb', format: 'raw', path: '/b', included: true },
      ],
    });
    expect(verdictMessage(c, { allowed: false, code: 'non-qcow2-disk', reason: 'r' })).toEqual({
      key: 'snapshots.refusal.non-qcow2-disk',
      params: { target: 'vdb', format: 'raw' },
    });
    expect(verdictMessage(c, c.revertExternal)).toEqual({
      key: 'snapshots.refusal.revert-external-old-libvirt',
      params: { version: '9.0.0' },
    });
    expect(verdictMessage(c, ALLOWED)).toBeNull();
  });

  it('keeps the host’s words for a code it does not know', () => {
    const odd = { allowed: false, code: 'future-code', reason: 'libvirt says no' } as unknown;
    expect(verdictMessage(caps(), odd as SnapshotVerdict)).toEqual({
      key: null,
      text: 'libvirt says no',
    });
  });
});
