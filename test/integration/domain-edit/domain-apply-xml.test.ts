import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xmlErrorLine, type DomainEditResult } from '../../../shared/contract/domain-edit';
import { startVmApp, type VmApp } from '../vms/vm-test-support';
import { defineTestVm, dumpXml, type TestVm } from './domain-edit-support';

/** The XML tab's Apply: libvirt validates; a refusal leaves the definition byte for byte. */
let app: VmApp;
let vm: TestVm;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  app = await startVmApp();
  vm = await defineTestVm(app, 'vd-edit-xml', cleanups);
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await app.stop();
});

describe('domain:applyXml', () => {
  it('refuses malformed XML with libvirt message and line, definition unchanged', async () => {
    const before = await dumpXml(vm.name, true);
    const broken = before.replace('<vcpu', '<vcpux');
    const error = await app.fails('domain:applyXml', { ...vm.target, xml: broken });
    expect(error.kind).toBe('libvirt');
    expect(error.message).toMatch(/Opening and ending tag mismatch/);
    const line = before.split('\n').findIndex((l) => l.includes('<vcpu')) + 1;
    expect(xmlErrorLine(error)).toBe(line);
    expect(await dumpXml(vm.name, true)).toBe(before);
  });

  it('refuses schema-invalid XML (unknown element, bad attribute value), definition unchanged', async () => {
    const before = await dumpXml(vm.name, true);
    for (const xml of [
      before.replace('</devices>', '  <frobnicator/>\n  </devices>'),
      before.replace("<interface type='user'>", "<interface type='nosuchtype'>"),
    ]) {
      const error = await app.fails('domain:applyXml', { ...vm.target, xml });
      expect(error.kind).toBe('libvirt');
      expect(error.message).toMatch(/failed to validate against schema/);
      expect(error.message).toContain(vm.name);
      expect(await dumpXml(vm.name, true)).toBe(before);
    }
  });

  it('refuses an XML with another UUID before libvirt sees it', async () => {
    const before = await dumpXml(vm.name, true);
    const xml = before.replace(vm.uuid, '00000000-0000-0000-0000-000000000001');
    const error = await app.fails('domain:applyXml', { ...vm.target, xml });
    expect(error).toMatchObject({ kind: 'validation', path: 'xml' });
    expect(await dumpXml(vm.name, true)).toBe(before);
  });

  it('applies a valid XML, previewing the diff first', async () => {
    const before = await dumpXml(vm.name, true);
    const xml = before.replace('</uuid>', '</uuid>\n  <title>From the XML tab</title>');
    const preview = await app.ok<{ diff: string }>('domain:previewXml', { ...vm.target, xml });
    expect(preview.diff).toContain('+  <title>From the XML tab</title>');
    const result = await app.ok<DomainEditResult>('domain:applyXml', { ...vm.target, xml });
    expect(result.persistent).toBe(true);
    expect(result.xml).toBe(xml);
    expect(await dumpXml(vm.name, true)).toBe(xml);
  });
});
