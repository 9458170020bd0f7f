import { describe, expect, it } from 'vitest';
import { parseXml, readSnapshot } from '../../../shared/xml';
import {
  buildSnapshotTree,
  descendantNames,
  type SnapshotRecord,
} from '../../../electron/snapshots/snapshot-tree';

function record(
  name: string,
  parent: string | null,
  time: number,
  body = `<state>shutoff</state><disks><disk name='vda' snapshot='internal'/></disks>`,
): SnapshotRecord {
  const xml = `<domainsnapshot><name>${name}</name><creationTime>${time}</creationTime>${body}</domainsnapshot>`;
  return {
    name,
    parent,
    current: name === 'c',
    view: readSnapshot(parseXml(xml)),
    hasThumbnail: false,
  };
}

describe('snapshot tree', () => {
  it('nests children under parents, oldest first, and finds descendants', () => {
    const roots = buildSnapshotTree([
      record('c', 'b', 30),
      record('b2', 'a', 25),
      record('b', 'a', 20),
      record('a', null, 10),
      record('z', null, 5),
    ]);
    expect(roots.map((n) => n.name)).toEqual(['z', 'a']);
    const a = roots[1];
    expect(a?.children.map((n) => n.name)).toEqual(['b', 'b2']);
    expect(a?.children[0]?.children[0]).toMatchObject({ name: 'c', current: true, parent: 'b' });
    expect(descendantNames(roots, 'a')).toEqual(['b', 'c', 'b2']);
    expect(descendantNames(roots, 'c')).toEqual([]);
  });

  it('keeps an orphan (its parent vanished between calls) as a root', () => {
    const roots = buildSnapshotTree([record('x', 'gone', 1)]);
    expect(roots.map((n) => n.name)).toEqual(['x']);
  });

  it('reads location, memory and disk-only as libvirt defines them', () => {
    const [ext] = buildSnapshotTree([
      record(
        'e',
        null,
        1,
        `<state>disk-snapshot</state><memory snapshot='no'/><disks><disk name='vda' snapshot='external'><source file='/p/vda.e'/></disk></disks>`,
      ),
    ]);
    expect(ext).toMatchObject({
      location: 'external',
      diskOnly: true,
      hasMemory: false,
      disks: [{ target: 'vda', snapshot: 'external', file: '/p/vda.e' }],
    });
    const [mem] = buildSnapshotTree([
      record('m', null, 1, `<state>running</state><memory snapshot='external' file='/p/m.mem'/>`),
    ]);
    expect(mem).toMatchObject({ location: 'external', hasMemory: true, memoryFile: '/p/m.mem' });
  });
});
