import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEditResult } from '../../../shared/contract/domain-edit';
import type { VmRef } from '../../../shared/contract/vms';
import { findElement, getAttribute, listDevicesOfKind, parseXml } from '../../../shared/xml';
import {
  initialValues,
  simpleDeviceKinds,
  simpleDeviceXml,
} from '../../../renderer/src/components/vm-details/devices/simple-device-kinds';
import { defineTestVm, dumpXml, type TestVm } from '../domain-edit/domain-edit-support';
import { startVmApp, type VmApp } from '../vms/vm-test-support';
import { NO_SWTPM } from './swtpm';

/**
 * The TPM Add Hardware builds by default (an emulated TPM 2.0, tpm-crb) on a VM of the
 * harness daemon, started under TCG: libvirt starts swtpm as the daemon's own unprivileged
 * user and QEMU gets the TPM device.
 */

/** Command lines of running swtpm processes, read from /proc. */
async function swtpmCommandLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    try {
      const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      if (args[0]?.endsWith('swtpm')) lines.push(args.join(' '));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return lines;
}

let app: VmApp;
let vm: TestVm;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  app = await startVmApp({ alias: 'add-tpm-qemu' });
  vm = await defineTestVm(app, 'vd-addtpm', cleanups);
}, 60_000);
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await app?.stop();
});

describe('an emulated TPM from Add Hardware', () => {
  it.skipIf(NO_SWTPM)(
    `is defined and the VM starts with it under TCG${NO_SWTPM ? ' (skipped: swtpm is not installed)' : ''}`,
    async () => {
      const xml = simpleDeviceXml('tpm', initialValues(simpleDeviceKinds.tpm));
      expect(xml).toBe("<tpm model='tpm-crb'>\n  <backend type='emulator' version='2.0'/>\n</tpm>");
      await app.ok<DomainEditResult>('domain:applyEdit', {
        ...vm.target,
        edit: { kind: 'addDeviceXml', xml },
      });
      const stored = listDevicesOfKind(parseXml(await dumpXml(vm.name, true)), 'tpm');
      expect(stored).toHaveLength(1);

      const since = performance.now();
      await app.ok<VmRef>('vm:start', vm.target);
      await app.waitForEvent(
        'vm:changed',
        (p) => p.uuid === vm.uuid && p.patch.state === 'running',
        { since, timeoutMs: 60_000 },
      );

      const live = listDevicesOfKind(parseXml(await dumpXml(vm.name, false)), 'tpm');
      expect(live).toHaveLength(1);
      const tpm = live[0]!.element;
      expect(getAttribute(tpm, 'model')).toBe('tpm-crb');
      const backend = findElement(tpm, 'backend');
      expect(backend && getAttribute(backend, 'type')).toBe('emulator');
      expect(backend && getAttribute(backend, 'version')).toBe('2.0');
      // QEMU only gets an alias for a device it was started with.
      expect(findElement(tpm, 'alias')).toBeDefined();
      // The emulator libvirt started for this VM: TPM 2.0, its state under the VM's UUID.
      const mine = (await swtpmCommandLines()).filter((l) => l.includes(vm.uuid));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toContain('--tpm2');

      await app.ok('vm:forceOff', vm.target);
    },
    120_000,
  );
});
