import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import { LibvirtError } from '../../../../electron/libvirt/errors';
import {
  domainDefineXml,
  domainDestroy,
  domainIsActive,
  domainStart,
  domainUndefine,
  type DomainRef,
} from '../../../../electron/libvirt/facade/domain';
import {
  snapshotCreateXml,
  snapshotCurrent,
  snapshotDelete,
  snapshotGetXml,
  snapshotList,
  snapshotLookup,
  snapshotRevert,
} from '../../../../electron/libvirt/facade/snapshot';
import {
  Cleanup,
  daemon,
  openClient,
  uniqueName,
  virsh,
  virshFails,
  virshTable,
  virshXml,
} from './facade-fixture';

// test:///default keeps its state while a connection is open (the client stays open).
const { testUri } = daemon();
const cleanup = new Cleanup();
let c: LibvirtClient;
let dom: DomainRef;

beforeAll(async () => {
  c = await openClient(testUri, cleanup);
  const name = uniqueName('vd-snap');
  dom = await domainDefineXml(
    c,
    `<domain type='test'><name>${name}</name><uuid>${randomUUID()}</uuid><memory>65536</memory><os><type>hvm</type></os></domain>`,
  );
  cleanup.add(`undefine ${name}`, async () => {
    if (await domainIsActive(c, dom)) await domainDestroy(c, dom);
    await domainUndefine(c, dom, { snapshotsMetadata: true });
  });
  dom = await domainStart(c, dom);
});
afterAll(() => cleanup.run());

const snapXml = (name: string): string =>
  `<domainsnapshot><name>${name}</name><description>${name} by VirtDeck</description></domainsnapshot>`;

/** virsh snapshot-list --parent as { name, parent } rows. */
async function virshSnapshots(): Promise<Array<{ name: string; parent: string | null }>> {
  const rows = virshTable(await virsh(testUri, ['snapshot-list', dom.name, '--parent']));
  return rows.map((r) => ({
    name: r[0] as string,
    parent: r.length > 3 ? (r.at(-1) as string) : null,
  }));
}

describe('snapshot facade on test:///default (compared with virsh)', () => {
  it('builds a tree that snapshot-list --parent and snapshot-current agree with', async () => {
    const root = await snapshotCreateXml(c, dom, snapXml('root'));
    expect(root).toEqual({ dom, name: 'root' });
    await snapshotCreateXml(c, dom, snapXml('child-a'));
    await snapshotRevert(c, root);
    await snapshotCreateXml(c, dom, snapXml('child-b'));
    await snapshotCreateXml(c, dom, snapXml('grandchild'));

    const ours = await snapshotList(c, dom);
    const byName = (a: { name: string }, b: { name: string }): number =>
      a.name.localeCompare(b.name);
    expect(ours.map(({ name, parent }) => ({ name, parent })).sort(byName)).toEqual(
      (await virshSnapshots()).sort(byName),
    );
    expect(ours.find((s) => s.name === 'grandchild')).toMatchObject({
      parent: 'child-b',
      current: true,
    });
    expect(ours.filter((s) => s.current)).toHaveLength(1);
    expect((await snapshotCurrent(c, dom))?.name).toBe(
      (await virsh(testUri, ['snapshot-current', dom.name, '--name'])).trim(),
    );
  });

  it('XML, lookup and revert match virsh', async () => {
    const snap = await snapshotLookup(c, dom, 'child-a');
    expect(await snapshotGetXml(c, snap)).toBe(
      await virshXml(testUri, ['snapshot-dumpxml', dom.name, 'child-a']),
    );
    expect(await snapshotGetXml(c, snap, { secure: true })).toBe(
      await virshXml(testUri, ['snapshot-dumpxml', dom.name, 'child-a', '--security-info']),
    );
    await snapshotRevert(c, snap, { paused: true });
    expect((await virsh(testUri, ['domstate', dom.name])).trim()).toBe('paused');
    expect((await snapshotCurrent(c, dom))?.name).toBe('child-a');
    await expect(snapshotRevert(c, snap, { running: true, paused: true })).rejects.toThrow(
      TypeError,
    );
    const err = await snapshotLookup(c, dom, 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err).toMatchObject({ codeName: 'VIR_ERR_NO_DOMAIN_SNAPSHOT' });
  });

  it('deletes a subtree, then the rest', async () => {
    await snapshotDelete(c, await snapshotLookup(c, dom, 'child-b'), { children: true });
    expect((await virshSnapshots()).map((s) => s.name).sort()).toEqual(['child-a', 'root']);
    await snapshotDelete(c, await snapshotLookup(c, dom, 'root'), { childrenOnly: true });
    expect((await snapshotList(c, dom)).map((s) => s.name)).toEqual(['root']);
    const root = await snapshotLookup(c, dom, 'root');
    // The test driver keeps snapshot data only as metadata and refuses the flag, as for virsh.
    const refused = await snapshotDelete(c, root, { metadataOnly: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LibvirtError);
    expect(
      await virshFails(testUri, ['snapshot-delete', dom.name, 'root', '--metadata']),
    ).toContain((refused as LibvirtError).message);
    await snapshotDelete(c, root);
    expect(await snapshotList(c, dom)).toEqual([]);
    expect(await snapshotCurrent(c, dom)).toBeNull();
    expect(virshTable(await virsh(testUri, ['snapshot-list', dom.name]))).toEqual([]);
  });
});
