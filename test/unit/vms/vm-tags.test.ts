import { describe, expect, it } from 'vitest';
import { VIRTDECK_METADATA_NS } from '../../../shared/contract/vms';
import { documentRoot, findElement, parseXml } from '../../../shared/xml';
import { normalizeTags, readVmTags, tagsMetadataXml } from '../../../electron/vms/vm-tags';

/** What libvirt makes of `domainSetMetadata(key 'virtdeck', value)` in the domain XML. */
function asLibvirtStoresIt(value: string): string {
  const withPrefix = value
    .replace('<tags>', `<virtdeck:tags xmlns:virtdeck="${VIRTDECK_METADATA_NS}">`)
    .replaceAll('<tag>', '<virtdeck:tag>')
    .replaceAll('</tag>', '</virtdeck:tag>')
    .replace('</tags>', '</virtdeck:tags>');
  return `<domain><name>d</name><metadata>${withPrefix}</metadata></domain>`;
}

function tagsOf(domainXml: string): string[] {
  const domain = documentRoot(parseXml(domainXml));
  return readVmTags(findElement(domain, 'metadata'), domain);
}

describe('VM tags in <metadata>', () => {
  it('normalises: trimmed, unique, no blanks, code-point order', () => {
    expect(normalizeTags([' web', 'db', 'web ', '', '  ', 'Zeta', 'alpha', 'é'])).toEqual([
      'Zeta',
      'alpha',
      'db',
      'web',
      'é',
    ]);
  });

  it('writes an element without prefix (libvirt adds ours) and escapes the text', () => {
    expect(tagsMetadataXml(['b&b', '<x>', 'a'])).toBe(
      '<tags>\n  <tag>&lt;x&gt;</tag>\n  <tag>a</tag>\n  <tag>b&amp;b</tag>\n</tags>',
    );
  });

  it('removes the element when no tags are left', () => {
    expect(tagsMetadataXml([])).toBeNull();
    expect(tagsMetadataXml([' ', ''])).toBeNull();
  });

  it('reads back exactly what it wrote, through libvirt’s prefixing', () => {
    const tags = ['prod', 'team: "ops" & <infra>', '数据库'];
    const written = tagsMetadataXml(tags);
    expect(written).not.toBeNull();
    expect(tagsOf(asLibvirtStoresIt(written as string))).toEqual(normalizeTags(tags));
  });

  it('finds the namespace declared on <metadata> or <domain> too', () => {
    expect(
      tagsOf(`<domain xmlns:q="${VIRTDECK_METADATA_NS}"><metadata><q:tags><q:tag>x</q:tag>
        <other>y</other></q:tags></metadata></domain>`),
    ).toEqual(['x']);
    expect(
      tagsOf('<domain><metadata><q:tags><q:tag>x</q:tag></q:tags></metadata></domain>'),
    ).toEqual([]);
  });
});
