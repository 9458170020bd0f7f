import { runCommand } from '../../harness/run-command';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import { removeDomain, testName, virsh, virshDefine, type VmApp } from '../vms/vm-test-support';
import { createDirPool, withHostAndPool, type DirPool } from '../vms/host-with-pool';

export { createDirPool, withHostAndPool as withCloneHost, type DirPool };

export interface GuestDisk {
  target: string;
  pool: { name: string; dir: string };
  format: 'qcow2' | 'raw';
  size?: string;
  /** Byte pattern written at offset 0 (1 MiB) so copies can be told apart. */
  pattern?: number;
}

export interface TestGuest {
  name: string;
  uuid: string;
  disks: Array<{ target: string; path: string }>;
  target: { connectionId: string; uuid: string };
}

/**
 * The firmware guest (SeaBIOS, boots in ~1 s) with `disks`, two NICs of user networking,
 * VNC on a fixed port, and optionally a UEFI loader with a variable store.
 */
export async function defineGuest(
  app: VmApp,
  prefix: string,
  disks: GuestDisk[],
  cleanups: Array<() => Promise<void>>,
  options: { efi?: boolean; vncPort?: number } = {},
): Promise<TestGuest> {
  const g = testName(prefix);
  const made: Array<{ target: string; path: string }> = [];
  let devices = '';
  for (const d of disks) {
    const volume = `${g.name}-${d.target}.${d.format}`;
    // Allocation 0: sparse, so a huge raw disk costs nothing.
    await virsh([
      'vol-create-as',
      d.pool.name,
      volume,
      d.size ?? '16M',
      '--allocation',
      '0',
      '--format',
      d.format,
    ]);
    const path = `${d.pool.dir}/${volume}`;
    if (d.pattern !== undefined) await writePattern(path, d.format, d.pattern);
    made.push({ target: d.target, path });
    devices += `
    <disk type='file' device='disk'>
      <driver name='qemu' type='${d.format}'/>
      <source file='${path}'/>
      <target dev='${d.target}' bus='virtio'/>
    </disk>`;
  }
  for (const pool of new Set(disks.map((d) => d.pool.name))) {
    await virsh(['pool-refresh', pool]);
  }
  devices += `
    <interface type='user'><model type='virtio'/></interface>
    <interface type='user'><model type='e1000'/></interface>`;
  let xml = firmwareVncGuestXml({ ...g, memoryMiB: 32 }).replace(
    '<devices>',
    `<devices>${devices}`,
  );
  if (options.vncPort !== undefined) {
    xml = xml.replace(
      "<graphics type='vnc' autoport='yes' listen='127.0.0.1'/>",
      `<graphics type='vnc' port='${options.vncPort}' autoport='no' listen='127.0.0.1'/>`,
    );
  }
  if (options.efi) {
    xml = xml
      .replace(
        /<bios [^>]*\/>/,
        `<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
    <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'/>`,
      )
      .replace('</os>', '</os>\n  <features><acpi/></features>');
  }
  const since = performance.now();
  await virshDefine(xml);
  cleanups.push(() => removeDomain(g.name));
  await app.waitForEvent('vm:added', (vm) => vm.uuid === g.uuid, { since });
  return { ...g, disks: made, target: { connectionId: app.connectionId, uuid: g.uuid } };
}

/** qemu-io writes 1 MiB of `pattern` at offset 0 (the daemon's files are root-writable). */
export async function writePattern(path: string, format: string, pattern: number): Promise<void> {
  const hex = `0x${pattern.toString(16)}`;
  const r = await runCommand('qemu-io', ['-f', format, '-c', `write -P ${hex} 0 1M`, path]);
  if (r.code !== 0) throw new Error(`qemu-io on ${path} failed: ${r.stderr || r.stdout}`);
}

/** qemu-img compare (force-share: a running VM may hold the source); true when identical. */
export async function sameContents(a: string, b: string): Promise<boolean> {
  const r = await runCommand('qemu-img', ['compare', '-U', a, b]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`qemu-img compare failed: ${r.stderr}`);
  return r.code === 0;
}

/** qemu-io reads 1 MiB at 0 and checks the pattern; true when every byte matches. */
export async function hasPattern(path: string, format: string, pattern: number): Promise<boolean> {
  const hex = `0x${pattern.toString(16)}`;
  const r = await runCommand('qemu-io', [
    '-U',
    '-r',
    '-f',
    format,
    '-c',
    `read -P ${hex} 0 1M`,
    path,
  ]);
  return r.code === 0 && !/Pattern verification failed/.test(r.stdout + r.stderr);
}

/** Volume names of a pool, sorted (after a refresh, so files made behind libvirt count). */
export async function poolVolumes(pool: string): Promise<string[]> {
  await virsh(['pool-refresh', pool]);
  const out = await virsh(['vol-list', pool]);
  // ` Name   Path` then a rule, then one volume a line; names have no spaces here.
  return out
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean)
    .sort();
}

export async function domainNames(): Promise<string[]> {
  const out = await virsh(['list', '--all', '--name']);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
}

export async function domstate(name: string): Promise<string> {
  return (await virsh(['domstate', name])).trim();
}
