import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { NewVmCreated, NewVmPreview, NewVmSpec } from '../../../shared/contract/new-vm';
import { runVirsh } from '../../harness/run-virsh';
import { createDirPool } from '../snapshots/snapshot-test-support';
import { harness, removeDomain, testName, virsh, type VmApp } from '../vms/vm-test-support';

export const run = promisify(execFile);
export const MiB = 1024 ** 2;

/**
 * A short VM name: libvirt puts the guest agent's socket under the daemon's (long, private)
 * config folder with the domain's ID and name in the path, and a UNIX socket path has at
 * most 107 bytes — names from testName() overflow it here.
 */
export function shortName(tag: string): string {
  return `nv${tag}-${randomUUID().slice(0, 6)}`;
}

/** A spec of the smallest VM that boots under TCG; `over` sets the method and the rest. */
export function tinySpec(app: VmApp, name: string, over: Partial<NewVmSpec> = {}): NewVmSpec {
  return {
    connectionId: app.connectionId,
    arch: 'x86_64',
    method: { kind: 'manual' },
    osId: null,
    memoryBytes: 64 * MiB,
    vcpus: 1,
    storage: { kind: 'none' },
    name,
    // The harness daemon is unprivileged: no virtual network can start there.
    network: { type: 'user' },
    firmware: 'bios',
    secureBoot: false,
    tpm: false,
    graphics: 'vnc',
    ...over,
  };
}

/** Previews, then creates with the previewed UUID (as the wizard does); removes it after the test. */
export async function createVm(
  app: VmApp,
  spec: NewVmSpec,
  cleanups: Array<() => Promise<void>>,
  options: { customize?: boolean } = {},
): Promise<{ created: NewVmCreated; preview: NewVmPreview; jobId: string }> {
  const preview = await app.ok<NewVmPreview>('newVm:preview', { spec });
  cleanups.push(() => removeDomain(spec.name));
  const jobId = randomUUID();
  const created = await app.ok<NewVmCreated>('newVm:create', {
    spec,
    jobId,
    customize: options.customize ?? false,
    uuid: preview.uuid,
  });
  return { created, preview, jobId };
}

export async function dumpXml(name: string, inactive = false): Promise<string> {
  return virsh(['dumpxml', ...(inactive ? ['--inactive'] : []), name]);
}

export async function domState(name: string): Promise<string> {
  return (await virsh(['domstate', name])).trim();
}

/** Names of the volumes of a pool, after a refresh. */
export async function poolVolumes(pool: string): Promise<string[]> {
  await virsh(['pool-refresh', pool]);
  const out = await virsh(['vol-list', pool]);
  return out
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

export async function domainExists(name: string): Promise<boolean> {
  return (await runVirsh(harness().qemuUri, ['dominfo', name])).code === 0;
}

/** An ISO 9660 image with `label`, made by genisoimage into a pool folder (then refreshed). */
export async function makeIso(
  pool: { name: string; dir: string },
  file: string,
  label: string,
): Promise<string> {
  const src = await mkdtemp(path.join(os.tmpdir(), 'vd-newvm-iso-'));
  try {
    const target = path.join(pool.dir, file);
    await run('genisoimage', ['-quiet', '-V', label, '-o', target, '-R', '-J', src]);
    // The daemon runs as another user and must read it.
    await chmod(target, 0o644);
    await virsh(['pool-refresh', pool.name]);
    return target;
  } finally {
    await rm(src, { recursive: true, force: true });
  }
}

export { createDirPool, testName, virsh, removeDomain, harness };
