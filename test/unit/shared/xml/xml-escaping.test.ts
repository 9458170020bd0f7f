import { describe, expect, it } from 'vitest';
import {
  createDocument,
  createElement,
  createText,
  documentRoot,
  findText,
  getAttribute,
  getText,
  parseXml,
  serializeXml,
  setAttribute,
  setText,
  updateRoot,
} from '../../../../shared/xml/index';

const roundTrip = (text: string): string => serializeXml(parseXml(text));

describe('entities and quotes', () => {
  it('decodes &lt; &gt; &amp; in text and re-encodes them', () => {
    const doc = parseXml('<domain><description>a &lt;b&gt; &amp; "c"</description></domain>');
    expect(findText(documentRoot(doc), 'description')).toBe('a <b> & "c"');
    const out = serializeXml(doc);
    expect(out).toBe(
      '<domain>\n  <description>a &lt;b&gt; &amp; &quot;c&quot;</description>\n</domain>\n',
    );
    expect(findText(documentRoot(parseXml(out)), 'description')).toBe('a <b> & "c"');
  });

  it('keeps attribute values with quotes and ampersands', () => {
    const doc = parseXml(`<a x="it's" y='say "hi"' z="a&amp;b &lt; c" w="&quot;&apos;"/>`);
    const root = documentRoot(doc);
    expect(root.attributes).toEqual([
      { name: 'x', value: "it's" },
      { name: 'y', value: 'say "hi"' },
      { name: 'z', value: 'a&b < c' },
      { name: 'w', value: `"'` },
    ]);
    const out = serializeXml(doc);
    expect(out).toBe(
      "<a x='it&apos;s' y='say &quot;hi&quot;' z='a&amp;b &lt; c' w='&quot;&apos;'/>\n",
    );
    expect(documentRoot(parseXml(out)).attributes).toEqual(root.attributes);
  });

  it('decodes character references and writes them back as characters', () => {
    const doc = parseXml('<a t="&#65;&#x42;">&#67;&#x1F600;&#233;</a>');
    expect(getAttribute(documentRoot(doc), 't')).toBe('AB');
    expect(getText(documentRoot(doc))).toBe('C😀é');
    expect(serializeXml(doc)).toBe("<a t='AB'>C😀é</a>\n");
  });

  it('normalises literal newlines in attribute values and keeps escaped ones', () => {
    const doc = parseXml('<a x="one\ntwo\tthree" y="line&#10;break&#9;tab"/>');
    const root = documentRoot(doc);
    expect(getAttribute(root, 'x')).toBe('one two three');
    expect(getAttribute(root, 'y')).toBe('line\nbreak\ttab');
    const out = serializeXml(doc);
    expect(out).toBe("<a x='one two three' y='line&#10;break&#9;tab'/>\n");
    expect(roundTrip(out)).toBe(out);
  });

  it('writes values set through the API safely', () => {
    const doc = createDocument(createElement('domain'));
    const edited = updateRoot(doc, (r) =>
      setText(setAttribute(r, 'note', `<'&">`), `x < y && ']]>' "ok"`),
    );
    const out = serializeXml(edited);
    expect(out).toBe(
      "<domain note='&lt;&apos;&amp;&quot;&gt;'>x &lt; y &amp;&amp; &apos;]]&gt;&apos; &quot;ok&quot;</domain>\n",
    );
    const root = documentRoot(parseXml(out));
    expect(getAttribute(root, 'note')).toBe(`<'&">`);
    expect(getText(root)).toBe(`x < y && ']]>' "ok"`);
  });

  it('keeps CDATA verbatim and splits a CDATA end marker inside it', () => {
    expect(roundTrip('<a><![CDATA[<x> & &amp; ]]></a>')).toBe('<a><![CDATA[<x> & &amp; ]]></a>\n');
    const doc = createDocument(createElement('a', [], [{ kind: 'cdata', value: 'a]]>b' }]));
    const out = serializeXml(doc);
    expect(out).toBe('<a><![CDATA[a]]]]><![CDATA[>b]]></a>\n');
    expect(getText(documentRoot(parseXml(out)))).toBe('a]]>b');
  });

  it('normalises CRLF line endings and drops a byte-order mark', () => {
    const doc = parseXml('\uFEFF<a>\r\n  <b>x\r\ny</b>\r\n</a>\r\n');
    expect(serializeXml(doc)).toBe('<a>\n  <b>x\ny</b>\n</a>\n');
  });

  it('escapes a carriage return in text set through the API', () => {
    const out = serializeXml(createDocument(createElement('a', [], [createText('x\ry')])));
    expect(out).toBe('<a>x&#13;y</a>\n');
    expect(getText(documentRoot(parseXml(out)))).toBe('x\ry');
  });
});
