import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ClonePlan, CloneResult } from '../../../shared/contract/clone';
import { documentRoot, findElement, getAttribute, getText, parseXml } from '../../../shared/xml';
import { waitFor } from '../../harness/wait-for';
import { removeDomain, virsh, type VmApp } from '../vms/vm-test-support';
import {
  defineGuest,
  domstate,
  hasPattern,
  sameContents,
  type DirPool,
  withCloneHost,
} from './clone-test-support';

/** Clones of a running VM (paused for the copy) and of a UEFI VM with its variable store. */
let app: VmApp;
let pool: DirPool;
const cleanups = withCloneHost('clone-run-host', 'vd-clone-run', (host) => {
  ({ app, pool } = host);
});

function nvramOf(xml: string): { path: string | undefined; template: string | undefined } {
  const el = findElement(documentRoot(parseXml(xml)), 'os/nvram');
  return { path: el && getText(el), template: el && getAttribute(el, 'template') };
}

describe('clone of a running VM', () => {
  it('pauses the source while its disk is copied, then runs it again', async () => {
    const g = await defineGuest(
      app,
      'vd-clone-live',
      [{ target: 'vda', pool, format: 'qcow2', pattern: 0x5a }],
      cleanups,
    );
    await virsh(['start', g.name]);
    await waitFor(() => (app.vm(g.uuid)?.state === 'running' ? true : undefined), {
      what: `${g.name} running in the list`,
      timeoutMs: 30_000,
    });
    const plan = await app.ok<ClonePlan>('vm:clonePlan', g.target);
    expect(plan).toMatchObject({ state: 'running', pauseWhileCopying: true });

    const name = `${g.name}-c`;
    const since = performance.now();
    const result = await app.ok<CloneResult>('vm:clone', {
      ...g.target,
      name,
      jobId: randomUUID(),
    });
    cleanups.push(() => removeDomain(name));

    // The list saw the source paused, then running again (libvirt's resume event may come
    // in after the clone answered).
    const paused = await app.waitForEvent(
      'vm:changed',
      (p) => p.uuid === g.uuid && p.patch.state === 'paused',
      { since },
    );
    await app.waitForEvent('vm:changed', (p) => p.uuid === g.uuid && p.patch.state === 'running', {
      since: paused.at,
    });
    expect(await domstate(g.name)).toBe('running');
    expect(result.notes.join(' ')).toContain('was paused while its disks were copied');

    const copy = result.disks[0]!.path!;
    expect(copy).toBe(`${pool.dir}/${name}-vda.qcow2`);
    expect(await sameContents(g.disks[0]!.path, copy)).toBe(true);
    expect(await hasPattern(copy, 'qcow2', 0x5a)).toBe(true);
    // The source still uses its own disk (the block copy was not switched over).
    const live = await virsh(['domblklist', g.name]);
    expect(live).toContain(g.disks[0]!.path);
    expect(live).not.toContain(copy);
    expect(await domstate(name)).toBe('shut off');
  }, 180_000);
});

describe('clone of a UEFI VM', () => {
  it('copies the EFI variable store beside the source', async () => {
    const g = await defineGuest(
      app,
      'vd-clone-efi',
      [{ target: 'vda', pool, format: 'qcow2' }],
      cleanups,
      { efi: true },
    );
    // The variable store is made from the template on the first start.
    await virsh(['start', g.name]);
    await virsh(['destroy', g.name]);
    const source = nvramOf(await virsh(['dumpxml', g.name, '--inactive']));
    expect(source.path).toMatch(/_VARS\.fd$/);
    const plan = await app.ok<ClonePlan>('vm:clonePlan', g.target);
    expect(plan.nvram).toMatchObject({ path: source.path });

    const name = `${g.name}-c`;
    const result = await app.ok<CloneResult>('vm:clone', {
      ...g.target,
      name,
      jobId: randomUUID(),
    });
    cleanups.push(() => removeDomain(name));
    expect(result.nvramCopied).toBe(true);
    const clone = nvramOf(await virsh(['dumpxml', name, '--inactive']));
    const dir = source.path!.slice(0, source.path!.lastIndexOf('/'));
    expect(clone).toEqual({ path: `${dir}/${name}_VARS.fd`, template: source.template });
    expect(Buffer.compare(await readFile(clone.path!), await readFile(source.path!))).toBe(0);
    // No storage pool was left behind for the variable store's folder.
    expect(await virsh(['pool-list', '--all'])).not.toContain('virtdeck-nvram');
    // The clone's definition owns its store: undefine --nvram removes it.
    await removeDomain(name);
    await expect(readFile(clone.path!)).rejects.toThrow(/ENOENT/);
  }, 180_000);
});
