import { describe, expect, it } from 'vitest';
import {
  addDevice,
  childElements,
  createDiskElement,
  documentRoot,
  findElement,
  getText,
  listDevices,
  parseXml,
  removeDevice,
  serializeElement,
  serializeXml,
  setAttribute,
  setText,
  updateDevice,
  updateRoot,
  type XmlDocument,
  type XmlElement,
} from '../../../../shared/xml/index';
import { canonicalWalk, changedHunk } from './canonical-walk';
import { CORPUS_SKIP_REASON, corpusFiles, corpusPresent } from './corpus';

const files = corpusFiles();

/** Path (child-element indices) of the first element holding only text, depth first. */
function firstTextLeaf(el: XmlElement, path: number[] = []): number[] | undefined {
  const kids = childElements(el);
  if (kids.length === 0 && el.children.length > 0 && el.children.every((c) => c.kind === 'text')) {
    return path;
  }
  for (const [i, kid] of kids.entries()) {
    const found = firstTextLeaf(kid, [...path, i]);
    if (found) return found;
  }
  return undefined;
}

/** Rebuilds the path to the element at `path` (child-element indices), applying `fn` there. */
function updateAtPath(
  el: XmlElement,
  path: readonly number[],
  fn: (e: XmlElement) => XmlElement,
): XmlElement {
  const [head, ...rest] = path;
  if (head === undefined) return fn(el);
  const target = childElements(el)[head]!;
  const children = [...el.children];
  children[el.children.indexOf(target)] = updateAtPath(target, rest, fn);
  return { ...el, children };
}

function elementAt(el: XmlElement, path: readonly number[]): XmlElement {
  return path.reduce((cur, i) => childElements(cur)[i]!, el);
}

/** The serialised lines and the independent event walk of a document. */
function view(doc: XmlDocument): { lines: string[]; events: string[] } {
  const text = serializeXml(doc);
  return { lines: text.split('\n'), events: canonicalWalk(text) };
}

describe.skipIf(!corpusPresent)(
  `single-field edits over the corpus ${corpusPresent ? '' : CORPUS_SKIP_REASON}`,
  () => {
    it('has every corpus file to edit', () => {
      expect(files.length).toBeGreaterThan(300);
    });

    it.each(files.map((f) => [f.name, f.text] as const))(
      '%s: each edit changes only its field',
      (_name, text) => {
        const doc = parseXml(text);
        const root = documentRoot(doc);
        const base = view(doc);

        // 1. An attribute on the root: its start tag only (one line, one event).
        const first = root.attributes[0];
        const rootEdit = view(
          updateRoot(doc, (r) =>
            first
              ? setAttribute(r, first.name, `${first.value}-edited`)
              : setAttribute(r, 'vd-test', 'x'),
          ),
        );
        const rootLines = changedHunk(base.lines, rootEdit.lines);
        expect([rootLines.removed.length, rootLines.added.length]).toEqual([1, 1]);
        const rootEvents = changedHunk(base.events, rootEdit.events);
        expect(rootEvents.removed).toHaveLength(1);
        expect(rootEvents.added).toHaveLength(1);
        expect(rootEvents.added[0]).toMatch(new RegExp(`^start ${root.name} `));

        // 2. The first text value: that element's lines, one text event.
        const leafPath = firstTextLeaf(root)!;
        expect(leafPath).toBeDefined();
        const oldText = getText(elementAt(root, leafPath))!;
        const textDoc = updateRoot(doc, (r) =>
          updateAtPath(r, leafPath, (e) => setText(e, 'edited & <new>')),
        );
        const textEdit = view(textDoc);
        const textLines = changedHunk(base.lines, textEdit.lines);
        expect([textLines.removed.length, textLines.added.length]).toEqual([
          oldText.split('\n').length,
          1,
        ]);
        const textEvents = changedHunk(base.events, textEdit.events);
        expect(textEvents.removed).toEqual([`text ${JSON.stringify(oldText)}`]);
        expect(textEvents.added).toEqual(['text "edited & <new>"']);
        const reread = documentRoot(parseXml(textEdit.lines.join('\n')));
        expect(getText(elementAt(reread, leafPath))).toBe('edited & <new>');

        // 3. An attribute on the last device (domains) or on the root's last child element.
        const devices = root.name === 'domain' ? listDevices(doc) : [];
        const lastDevice = devices[devices.length - 1];
        const quoted = 'it\'s "quoted" & <fine>';
        const lastDoc = lastDevice
          ? updateDevice(doc, lastDevice.id, (d) => setAttribute(d, 'vd-test', quoted))
          : updateRoot(doc, (r) =>
              updateAtPath(r, [childElements(r).length - 1], (e) =>
                setAttribute(e, 'vd-test', quoted),
              ),
            );
        const lastEdit = view(lastDoc);
        const lastLines = changedHunk(base.lines, lastEdit.lines);
        expect([lastLines.removed.length, lastLines.added.length]).toEqual([1, 1]);
        expect(lastLines.added[0]).toContain(
          "vd-test='it&apos;s &quot;quoted&quot; &amp; &lt;fine&gt;'",
        );
        const lastEvents = changedHunk(base.events, lastEdit.events);
        expect([lastEvents.removed.length, lastEvents.added.length]).toEqual([1, 1]);
        expect(lastEvents.added[0]).toContain(`vd-test=${JSON.stringify(quoted)}`);

        if (root.name !== 'domain' || !findElement(root, 'devices')) return;

        // 4. Removing a device removes exactly its lines, nothing else.
        const firstDevice = devices[0]!;
        const block = serializeElement(firstDevice.element)
          .split('\n')
          .map((line) => `    ${line}`);
        const removed = view(removeDevice(doc, firstDevice.id)).lines;
        expect(removed).toHaveLength(base.lines.length - block.length);
        const start = base.lines.findIndex(
          (_, i) =>
            block.every((line, j) => base.lines[i + j] === line) &&
            [...base.lines.slice(0, i), ...base.lines.slice(i + block.length)].join('\n') ===
              removed.join('\n'),
        );
        expect(start).toBeGreaterThan(0);

        // 5. Adding a device adds exactly its lines, after the last of its kind.
        const disk = createDiskElement({
          source: { kind: 'file', file: '/var/lib/libvirt/images/new.qcow2' },
          driverType: 'qcow2',
          target: { dev: 'vdz', bus: 'virtio' },
        });
        const addition = changedHunk(base.lines, view(addDevice(doc, disk)).lines);
        expect(addition.removed).toEqual([]);
        expect(addition.added).toEqual([
          "    <disk type='file' device='disk'>",
          "      <driver name='qemu' type='qcow2'/>",
          "      <source file='/var/lib/libvirt/images/new.qcow2'/>",
          "      <target dev='vdz' bus='virtio'/>",
          '    </disk>',
        ]);
      },
    );
  },
);
