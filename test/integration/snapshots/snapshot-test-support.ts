import type { SnapshotNode, SnapshotTree } from '../../../shared/contract/snapshots';
import { runVirsh } from '../../harness/run-virsh';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import {
  harness,
  removeDomain,
  testName,
  virsh,
  virshDefine,
  type VmApp,
} from '../vms/vm-test-support';
import { createDirPool, withHostAndPool, type DirPool } from '../vms/host-with-pool';

export { createDirPool, type DirPool };

/**
 * The firmware guest (boots in ~1 s, shows a VGA screen) with one disk of `format` in the
 * pool, defined and listed by the app. `efi` gives it a pflash loader instead of SeaBIOS.
 */
/** The snapshot and save-file tests' host: one app and a dir pool for the file. */
export function withSnapshotHost(
  alias: string,
  ready: (host: { app: VmApp; pool: DirPool }) => void,
): Array<() => Promise<void>> {
  return withHostAndPool(alias, 'vd-snap-pool', ready);
}

export async function guestWithDisk(
  app: VmApp,
  pool: { name: string; dir: string },
  prefix: string,
  options: { format: 'qcow2' | 'raw'; efi?: boolean },
  cleanups: Array<() => Promise<void>>,
): Promise<{
  name: string;
  uuid: string;
  disk: string;
  target: { connectionId: string; uuid: string };
}> {
  const g = testName(prefix);
  const volume = `${g.name}-vda.${options.format}`;
  await virsh(['vol-create-as', pool.name, volume, '16M', '--format', options.format]);
  const disk = `${pool.dir}/${volume}`;
  let xml = firmwareVncGuestXml({ ...g, memoryMiB: 32 }).replace(
    '<devices>',
    `<devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='${options.format}'/>
      <source file='${disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>`,
  );
  if (options.efi) {
    xml = xml
      .replace(
        /<bios [^>]*\/>/,
        `<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>`,
      )
      // libvirt requires ACPI with UEFI on x86.
      .replace('</os>', '</os>\n  <features><acpi/></features>');
  }
  const since = performance.now();
  await virshDefine(xml);
  cleanups.push(() => removeDomain(g.name));
  await app.waitForEvent('vm:added', (vm) => vm.uuid === g.uuid, { since });
  return { ...g, disk, target: { connectionId: app.connectionId, uuid: g.uuid } };
}

/** name → parent name (null for roots) from `virsh snapshot-list --tree`, by indentation. */
export async function virshTreeParents(domain: string): Promise<Map<string, string | null>> {
  const out = await virsh(['snapshot-list', domain, '--tree']);
  const parents = new Map<string, string | null>();
  const stack: string[] = [];
  for (const line of out.split('\n')) {
    if (line.trim() === '' || line.trim() === '|') continue;
    const branch = line.indexOf('+- ');
    const depth = branch === -1 ? 0 : (branch - 2) / 4 + 1;
    const name = branch === -1 ? line.trim() : line.slice(branch + 3).trim();
    stack.length = depth;
    parents.set(name, depth === 0 ? null : (stack[depth - 1] ?? null));
    stack.push(name);
  }
  return parents;
}

/** Every node of the tree, depth first. */
export function flatten(roots: readonly SnapshotNode[]): SnapshotNode[] {
  return roots.flatMap((n) => [n, ...flatten(n.children)]);
}

export function treeParents(tree: SnapshotTree): Map<string, string | null> {
  return new Map(flatten(tree.roots).map((n) => [n.name, n.parent]));
}

/** `virsh snapshot-list <domain> --name <filter…>` as a sorted list. */
export async function virshSnapshotNames(domain: string, ...filters: string[]): Promise<string[]> {
  const out = await virsh(['snapshot-list', domain, '--name', ...filters]);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
}

export async function virshCurrent(domain: string): Promise<string | null> {
  const r = await runVirsh(harness().qemuUri, ['snapshot-current', domain, '--name']);
  return r.code === 0 ? r.stdout.trim() : null;
}

export async function domstate(domain: string): Promise<string> {
  return (await virsh(['domstate', domain])).trim();
}
