import { describe, expect, it } from 'vitest';
import { parseXml, serializeXml } from '../../../../shared/xml/index';
import { canonicalWalk } from './canonical-walk';
import { CORPUS_SKIP_REASON, corpusFiles, corpusPresent } from './corpus';

const files = corpusFiles();

/**
 * libvirt writes attributes in single quotes and `<x/>`; hand-written corpus files use double
 * quotes and `<x />` here and there. That, and whitespace between elements, is all our
 * serialiser may change.
 */
function normaliseQuotes(xml: string): string {
  return xml.replace(/(\s[\w:.-]+)\s*=\s*"([^"']*)"/g, "$1='$2'").replace(/\s+\/>/g, '/>');
}

describe.skipIf(!corpusPresent)(
  `libvirt XML corpus round-trip ${corpusPresent ? '' : CORPUS_SKIP_REASON}`,
  () => {
    it('holds domains, networks, pools and volumes', () => {
      const kinds = new Set(files.map((f) => f.kind));
      expect([...kinds].sort()).toEqual(['domains', 'networks', 'pools', 'volumes']);
      expect(files.length).toBeGreaterThan(300);
    });

    it.each(files.map((f) => [f.name, f.text] as const))(
      '%s round-trips losslessly',
      (_name, text) => {
        const once = serializeXml(parseXml(text));
        // Every element, attribute (in order), text and comment, by an independent reader.
        expect(canonicalWalk(once)).toEqual(canonicalWalk(text));
        // Byte-equal to the input up to attribute quoting.
        expect(once).toBe(normaliseQuotes(text));
        // Stable: formatting our own output changes nothing.
        expect(serializeXml(parseXml(once))).toBe(once);
      },
    );
  },
);

describe('round-trip without the corpus', () => {
  it('keeps comments, CDATA, processing instructions, namespaces and mixed content', () => {
    const text = [
      "<?xml version='1.0' encoding='UTF-8'?>",
      '<!-- before the root -->',
      "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>",
      '  <!-- a comment inside -->',
      '  <name>guest</name>',
      '  <description><![CDATA[raw <b> & stuff]]> and text</description>',
      '  <metadata>',
      "    <p xmlns='urn:x'>mixed <b>bold</b> tail</p>",
      '  </metadata>',
      '  <qemu:commandline>',
      "    <qemu:arg value='-no-hpet'/>",
      '  </qemu:commandline>',
      '</domain>',
      '<?app-hint keep me?>',
      '',
    ].join('\n');
    const once = serializeXml(parseXml(text));
    expect(once).toBe(text);
    expect(canonicalWalk(once)).toEqual(canonicalWalk(text));
  });

  it('re-indents element-only content with two spaces and keeps text exactly', () => {
    const text = '<a><b>\n   keep   this  \n</b>\n\n\t<c   x="1" /><d> </d></a>';
    expect(serializeXml(parseXml(text))).toBe(
      "<a>\n  <b>\n   keep   this  \n</b>\n  <c x='1'/>\n  <d> </d>\n</a>\n",
    );
  });
});
