import { describe, expect, it } from 'vitest';
import {
  appendChild,
  childElement,
  childElements,
  createComment,
  createElement,
  documentRoot,
  findElement,
  findElements,
  getAttribute,
  getText,
  insertChild,
  insertChildInOrder,
  localName,
  parseXml,
  patchAttributes,
  removeAttribute,
  removeChildAt,
  replaceChildAt,
  serializeXml,
  setAttribute,
  setText,
  updatePath,
  updateRoot,
  XmlEditError,
} from '../../../../shared/xml/index';

const SAMPLE = `<domain type='kvm'>
  <name>vm</name>
  <!-- keep me -->
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <boot dev='hd'/>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='sda' bus='sata'/>
    </disk>
  </devices>
</domain>
`;

describe('queries', () => {
  const root = documentRoot(parseXml(SAMPLE));

  it('finds children and paths by name', () => {
    expect(childElements(root).map((e) => e.name)).toEqual(['name', 'os', 'devices']);
    expect(childElement(root, 'os')?.name).toBe('os');
    expect(getAttribute(findElement(root, 'os/type')!, 'arch')).toBe('x86_64');
    expect(findElements(root, 'devices/disk/target').map((t) => getAttribute(t, 'dev'))).toEqual([
      'vda',
      'sda',
    ]);
    expect(findElement(root, 'devices/nothing')).toBeUndefined();
    expect(localName('virtdeck:tags')).toBe('tags');
  });
});

describe('edits change only what they name', () => {
  it('keeps attribute order when setting, appends new ones, removes cleanly', () => {
    const type = findElement(documentRoot(parseXml(SAMPLE)), 'os/type')!;
    expect(setAttribute(type, 'arch', 'aarch64').attributes.map((a) => a.name)).toEqual([
      'arch',
      'machine',
    ]);
    expect(setAttribute(type, 'x', '1').attributes.map((a) => a.name)).toEqual([
      'arch',
      'machine',
      'x',
    ]);
    expect(removeAttribute(type, 'arch').attributes).toEqual([{ name: 'machine', value: 'q35' }]);
    expect(setAttribute(type, 'arch', 'x86_64')).toBe(type);
    expect(patchAttributes(type, { arch: null, machine: undefined, y: 2 }).attributes).toEqual([
      { name: 'machine', value: 'q35' },
      { name: 'y', value: '2' },
    ]);
  });

  it('never mutates the input document and shares untouched nodes', () => {
    const doc = parseXml(SAMPLE);
    const before = serializeXml(doc);
    const edited = updateRoot(doc, (r) => updatePath(r, ['name'], (n) => setText(n, 'renamed'))!);
    expect(serializeXml(doc)).toBe(before);
    expect(serializeXml(edited)).toBe(before.replace('<name>vm</name>', '<name>renamed</name>'));
    expect(childElement(documentRoot(edited), 'devices')).toBe(
      childElement(documentRoot(doc), 'devices'),
    );
  });

  it('creates missing elements at their ordered place and not at all when left empty', () => {
    const root = documentRoot(parseXml(SAMPLE));
    const order = (path: readonly string[]) =>
      path.length === 0 ? ['name', 'title', 'os', 'features', 'devices'] : undefined;
    const withTitle = updatePath(root, ['title'], (t) => setText(t, 'Hello'), { order })!;
    expect(childElements(withTitle).map((e) => e.name)).toEqual(['name', 'title', 'os', 'devices']);
    const withAcpi = updatePath(root, ['features', 'acpi'], (a) => a, { order, keepEmpty: true })!;
    expect(childElements(withAcpi).map((e) => e.name)).toEqual([
      'name',
      'os',
      'features',
      'devices',
    ]);
    expect(updatePath(root, ['features', 'acpi'], (a) => a, { order })).toBe(root);
    expect(updatePath(root, ['title'], () => null)).toBe(root);
  });

  it('inserts, removes and replaces children by position, keeping comments', () => {
    const root = documentRoot(parseXml(SAMPLE));
    const comment = root.children[1]!;
    expect(comment).toEqual({ kind: 'comment', value: ' keep me ' });
    const inserted = insertChild(root, 1, createElement('title', [], []));
    expect(inserted.children.map((c) => (c.kind === 'element' ? c.name : c.kind))).toEqual([
      'name',
      'title',
      'comment',
      'os',
      'devices',
    ]);
    expect(removeChildAt(inserted, 1)).toEqual(root);
    expect(replaceChildAt(root, 1, createComment(' new '))?.children[1]).toEqual({
      kind: 'comment',
      value: ' new ',
    });
    expect(appendChild(root, createElement('seclabel')).children.at(-1)).toMatchObject({
      name: 'seclabel',
    });
    const ordered = insertChildInOrder(root, createElement('features'), [
      'name',
      'os',
      'features',
      'devices',
    ]);
    expect(childElements(ordered).map((e) => e.name)).toEqual([
      'name',
      'os',
      'features',
      'devices',
    ]);
    expect(() => insertChild(root, 99, createElement('x'))).toThrow(XmlEditError);
  });

  it('sets text, keeps comments beside it, refuses elements with children', () => {
    const el = parseXml('<description><!-- c -->old</description>');
    const root = documentRoot(el);
    const next = setText(root, 'new');
    expect(next.children).toEqual([
      { kind: 'comment', value: ' c ' },
      { kind: 'text', value: 'new' },
    ]);
    expect(getText(setText(root, ''))).toBeUndefined();
    expect(() => setText(documentRoot(parseXml(SAMPLE)), 'x')).toThrow(XmlEditError);
  });

  it('refuses invalid names and characters before anything changes', () => {
    const root = documentRoot(parseXml(SAMPLE));
    expect(() => setAttribute(root, '1bad', 'x')).toThrow(XmlEditError);
    expect(() => setAttribute(root, 'ok', 'bell\u0007')).toThrow(XmlEditError);
    expect(() => setText(childElement(root, 'name')!, 'nul\u0000')).toThrow(XmlEditError);
    expect(() => updatePath(root, ['bad name'], (e) => setText(e, 'x'))).toThrow(XmlEditError);
    expect(() => serializeXml({ kind: 'document', children: [] })).toThrow(XmlEditError);
  });

  it('re-formats after an insertion into whitespace-only content, stably', () => {
    const doc = parseXml('<pool><source>\n  </source></pool>');
    const edited = updateRoot(doc, (r) =>
      updatePath(r, ['source', 'host'], (h) => setAttribute(h, 'name', 'example.org'))!,
    );
    const out = serializeXml(edited);
    expect(out).toBe("<pool>\n  <source>\n    <host name='example.org'/>\n  </source>\n</pool>\n");
    expect(serializeXml(parseXml(out))).toBe(out);
  });
});
