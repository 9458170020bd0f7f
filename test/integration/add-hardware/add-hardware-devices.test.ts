import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEditResult } from '../../../shared/contract/domain-edit';
import { listDevicesOfKind, parseXml, serializeElement } from '../../../shared/xml';
import {
  initialValues,
  simpleDeviceKinds,
  simpleDeviceXml,
  type SimpleDeviceKindName,
} from '../../../renderer/src/components/vm-details/devices/simple-device-kinds';
import { defineTestVm, dumpXml, type TestVm } from '../domain-edit/domain-edit-support';
import { startVmApp, type VmApp } from '../vms/vm-test-support';
import { NO_SWTPM } from './swtpm';

/**
 * Every device Add Hardware builds from its small forms, added with 'domain:applyEdit'
 * (addDeviceXml, defined with libvirt's schema validation) to a shut-off VM of the harness
 * daemon's QEMU driver, then read back with `virsh dumpxml --inactive`.
 */
let app: VmApp;
let vm: TestVm;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  app = await startVmApp({ alias: 'add-hw-qemu' });
  vm = await defineTestVm(app, 'vd-addhw', cleanups);
  // Smartcard passthrough and USB redirection ride on SPICE channels: libvirt refuses them
  // on a VNC-only VM, so this VM gets a SPICE display too (as the dialog's hint says).
  await app.ok<DomainEditResult>('domain:applyEdit', {
    ...vm.target,
    edit: { kind: 'addGraphics', type: 'spice', listen: { type: 'address', address: '127.0.0.1' } },
  });
}, 60_000);
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await app?.stop();
});

/** Form values a user would type where a field has no usable default. */
const TYPED: Partial<Record<SimpleDeviceKindName, Record<string, string>>> = {
  filesystem: { driver: 'path', source: '/tmp', target: 'hostshare' },
  vsock: { cid: '42' },
};

/** The element name each kind's XML becomes. */
const ELEMENT: Record<SimpleDeviceKindName, string> = {
  controller: 'controller',
  input: 'input',
  sound: 'sound',
  serial: 'serial',
  video: 'video',
  watchdog: 'watchdog',
  filesystem: 'filesystem',
  smartcard: 'smartcard',
  redirdev: 'redirdev',
  tpm: 'tpm',
  rng: 'rng',
  panic: 'panic',
  vsock: 'vsock',
};

describe('Add Hardware device XML is accepted by libvirt', () => {
  for (const name of Object.keys(simpleDeviceKinds) as SimpleDeviceKindName[]) {
    const needsSwtpm = name === 'tpm' && NO_SWTPM;
    it.skipIf(needsSwtpm)(
      `adds a ${name} built from the form's defaults${needsSwtpm ? ' (skipped: swtpm is not installed, libvirt refuses an emulated TPM without it)' : ''}`,
      async () => {
        const values = { ...initialValues(simpleDeviceKinds[name]), ...TYPED[name] };
        const xml = simpleDeviceXml(name, values);
        expect(xml).not.toBeNull();
        const before = listDevicesOfKind(parseXml(await dumpXml(vm.name, true)), ELEMENT[name]);
        const result = await app.ok<DomainEditResult>('domain:applyEdit', {
          ...vm.target,
          edit: { kind: 'addDeviceXml', xml },
        });
        const after = listDevicesOfKind(parseXml(await dumpXml(vm.name, true)), ELEMENT[name]);
        expect(after.length).toBe(before.length + 1);
        // The new one is the device of this kind not there before (ids are positional for
        // some kinds, so compare the elements' text).
        const known = new Set(before.map((d) => serializeElement(d.element)));
        const added =
          after.find((d) => d.id === result.deviceId) ??
          after.find((d) => !known.has(serializeElement(d.element)));
        expect(added).toBeDefined();
        // What libvirt stored carries every attribute the form set (it may add defaults).
        const stored = serializeElement(added!.element);
        for (const attr of parseXml(xml!).children.flatMap((c) =>
          c.kind === 'element' ? c.attributes : [],
        )) {
          expect(stored).toContain(`${attr.name}='${attr.value}'`);
        }
      },
    );
  }

  it.runIf(NO_SWTPM)(
    'without swtpm, an emulated TPM is refused and the definition stays',
    async () => {
      const before = await dumpXml(vm.name, true);
      const xml = simpleDeviceXml('tpm', initialValues(simpleDeviceKinds.tpm));
      const error = await app.fails('domain:applyEdit', {
        ...vm.target,
        edit: { kind: 'addDeviceXml', xml },
      });
      expect(error).toMatchObject({ kind: 'libvirt', codeName: 'VIR_ERR_CONFIG_UNSUPPORTED' });
      expect(await dumpXml(vm.name, true)).toBe(before);
    },
  );

  it('adds a console and a guest-agent channel from the Serial/Console/Channel form', async () => {
    for (const values of [
      { device: 'console', channel: 'qemu-guest-agent' },
      { device: 'channel', channel: 'qemu-guest-agent' },
    ]) {
      const xml = simpleDeviceXml('serial', values);
      await app.ok<DomainEditResult>('domain:applyEdit', {
        ...vm.target,
        edit: { kind: 'addDeviceXml', xml },
      });
    }
    const stored = await dumpXml(vm.name, true);
    expect(stored).toContain("name='org.qemu.guest_agent.0'");
    expect(stored).toMatch(/<console type='pty'>/);
  });
});
