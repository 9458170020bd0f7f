import { describe, expect, it } from 'vitest';
import { VmHardwarePage } from '../pages/vm-hardware.page';

import { vmWindowSuite } from '../support/vm-window-suite';

const VM = 'e2e-xmltab';

/**
 * The XML tab as a new user meets it (Chromium, web host, harness daemon): typing breaks
 * well-formedness and the editor marks it at once; a well-formed XML that libvirt's schema
 * rejects is refused with libvirt's message and the VM's definition stays byte for byte as
 * it was (virsh reads it again); the unsaved text survives switching tabs; Revert drops
 * it; a valid edit is applied.
 */
describe('VM window: XML tab (web host, Chromium, harness libvirtd)', () => {
  const suite = vmWindowSuite(async (harness) => {
    await harness.defineGuest(VM);
  });
  const { harness } = suite;

  async function open(): Promise<VmHardwarePage> {
    const hw = new VmHardwarePage(await suite.openVm(VM));
    await hw.openXmlTab();
    return hw;
  }

  it('refuses a broken XML with libvirt’s message and leaves the definition unchanged', async () => {
    const before = await harness.virsh('dumpxml', '--inactive', '--security-info', VM);
    const hw = await open();
    // What the editor shows is what libvirt stores.
    expect(await hw.editorText()).toBe(before.replace(/\n+$/, '\n'));
    expect(await hw.xmlButton('Apply').isDisabled()).toBe(true);

    // Not well-formed: marked while typing, Apply impossible.
    await hw.typeAtEndOfFirstLine('<oops');
    await hw.parseProblem.waitFor();
    await hw.lintMarks.first().waitFor();
    expect(await hw.xmlButton('Apply').isDisabled()).toBe(true);

    // Well-formed but not a domain libvirt accepts: an element its schema does not know.
    for (let i = 0; i < '<oops'.length; i++) await hw.page.keyboard.press('Backspace');
    await hw.page.keyboard.type('<nonsense/>');
    await hw.parseProblem.waitFor({ state: 'hidden' });
    await hw.xmlButton('Apply').click();
    const diff = hw.window.preview.getByTestId('edit-preview-diff');
    await diff.waitFor({ timeout: 30_000 });
    expect(await diff.innerText()).toContain("+<domain type='qemu'><nonsense/>");
    await hw.window.preview.getByRole('button', { name: 'Apply', exact: true }).click();
    await hw.applyError.waitFor({ timeout: 30_000 });
    const message = await hw.applyError.innerText();
    expect(message).toMatch(/refused the XML/);
    expect(message).toMatch(/nonsense|schema|validate/i);
    // libvirt's complaint is marked in the editor too.
    await hw.xmlTab.locator('.cm-lint-marker-error').first().waitFor();

    const after = await harness.virsh('dumpxml', '--inactive', '--security-info', VM);
    expect(after).toBe(before);

    // The draft is kept in the store: it survives leaving the tab and coming back.
    await hw.window.tab('Details').click();
    await hw.openXmlTab();
    expect(await hw.editorText()).toContain('<nonsense/>');
    await hw.xmlTab.getByTestId('xml-draft-chip').waitFor();

    // Revert: back to what libvirt stores.
    await hw.xmlButton('Revert').click();
    await expect.poll(() => hw.editorText()).not.toContain('<nonsense/>');
    expect(await hw.editorText()).toBe(before.replace(/\n+$/, '\n'));
  });

  it('applies a valid edit typed in the editor', async () => {
    const hw = await open();
    await hw.typeAtEndOfFirstLine('<title>typed in the XML tab</title>');
    await hw.xmlButton('Apply').click();
    await hw.window.confirmPreview();
    await hw.xmlTab.getByTestId('xml-applied').waitFor({ timeout: 30_000 });
    const after = await harness.virsh('dumpxml', '--inactive', VM);
    expect(after).toContain('<title>typed in the XML tab</title>');
    // The editor now shows libvirt's own formatting of what it stored.
    await expect.poll(() => hw.editorText()).toContain('  <title>typed in the XML tab</title>');
  });
});
