import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { DomainEdit, DomainEditResult } from '../../../shared/contract/domain-edit';
import { parseXml, type XmlDocument } from '../../../shared/xml';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import {
  harness,
  removeDomain,
  startVmApp,
  testName,
  virsh,
  virshDefine,
  type VmApp,
} from '../vms/vm-test-support';

export interface TestVm {
  name: string;
  uuid: string;
  target: { connectionId: string; uuid: string };
}

/**
 * The firmware guest with `<vcpu current='1'>2</vcpu>` (room to hot-plug one vCPU), an empty
 * IDE CD-ROM and a user-mode NIC (no host network needed), defined through virsh.
 */
export async function defineTestVm(
  app: VmApp,
  prefix: string,
  cleanups: Array<() => Promise<void>>,
): Promise<TestVm> {
  const g = testName(prefix);
  const xml = firmwareVncGuestXml({ ...g, memoryMiB: 64 })
    .replace('<vcpu>1</vcpu>', "<vcpu current='1'>2</vcpu>")
    .replace(
      '</devices>',
      `    <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>
    <interface type='user'><mac address='52:54:00:aa:bb:01'/><model type='virtio'/></interface>
  </devices>`,
    );
  const since = performance.now();
  await virshDefine(xml);
  cleanups.push(() => removeDomain(g.name));
  await app.waitForEvent('vm:added', (vm) => vm.uuid === g.uuid, { since });
  return { ...g, target: { connectionId: app.connectionId, uuid: g.uuid } };
}

export interface EditTestVms {
  app: VmApp;
  /** Shut off. */
  vm: TestVm;
  /** Started through virsh. */
  running: TestVm;
}

/**
 * Registers the file's set-up every edit family's tests share: one app, a shut-off and a
 * running test VM (`<prefix>` and `<prefix>-run`), all removed after the file.
 */
export function withEditTestVms(prefix: string, ready: (vms: EditTestVms) => void): void {
  let app: VmApp | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    app = await startVmApp();
    const vm = await defineTestVm(app, prefix, cleanups);
    const running = await defineTestVm(app, `${prefix}-run`, cleanups);
    await virsh(['start', running.name]);
    ready({ app, vm, running });
  });
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await app?.stop();
  });
}

/** `virsh dumpxml [--inactive] --security-info`, the reference reader, as libvirt returns it. */
export async function dumpXml(name: string, inactive: boolean): Promise<string> {
  const out = await virsh([
    'dumpxml',
    ...(inactive ? ['--inactive'] : []),
    '--security-info',
    name,
  ]);
  // virsh prints a newline after libvirt's XML (which ends with one already).
  return out.endsWith('\n\n') ? out.slice(0, -1) : out;
}

export async function inactiveDoc(name: string): Promise<XmlDocument> {
  return parseXml(await dumpXml(name, true));
}

export async function liveDoc(name: string): Promise<XmlDocument> {
  return parseXml(await dumpXml(name, false));
}

export function apply(app: VmApp, vm: TestVm, edit: DomainEdit, persistentOnly?: boolean) {
  return app.ok<DomainEditResult>('domain:applyEdit', {
    ...vm.target,
    edit,
    ...(persistentOnly ? { persistentOnly } : {}),
  });
}

/** A file in the daemon's folder the guest may open (a CD-ROM medium, a disk). */
export async function daemonFile(name: string, bytes: number): Promise<string> {
  const file = path.join(harness().dir, name);
  await writeFile(file, Buffer.alloc(bytes));
  await chmod(file, 0o666);
  return file;
}
