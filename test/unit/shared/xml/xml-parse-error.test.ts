import { describe, expect, it } from 'vitest';
import { parseXml, XmlParseError } from '../../../../shared/xml/index';

function parseError(text: string): XmlParseError {
  try {
    parseXml(text);
  } catch (error) {
    expect(error).toBeInstanceOf(XmlParseError);
    return error as XmlParseError;
  }
  throw new Error(`expected a parse error for ${JSON.stringify(text)}`);
}

describe('malformed XML', () => {
  it.each([
    ['a mismatched closing tag', '<domain>\n  <name>x</nam>\n</domain>', 2, 10],
    ['an unclosed element', '<domain>\n  <name>x</name>\n', 1, undefined],
    ['a repeated attribute', "<domain>\n  <disk type='a' type='b'/>\n</domain>", 2, undefined],
    ['an attribute without a value', '<domain>\n  <disk readonly/>\n</domain>', 2, undefined],
    ['a bare ampersand', '<a>\n  <b>x & y</b>\n</a>', 2, undefined],
    ['an unknown entity', '<a>\n  <b>&nbsp;</b>\n</a>', 2, 6],
    ['an unknown entity in an attribute', "<a>\n  <b x='&foo;'/>\n</a>", 2, 9],
    ['a character reference XML forbids', '<a>&#0;</a>', 1, 4],
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY e "boom">]>\n<a>&e;</a>', 1, 1],
    ['two root elements', '<a/>\n<b/>', 2, 1],
    ['text after the root', '<a/>\ntrailing', 2, 1],
    ["'<' inside an attribute value", '<a x="1<2"/>', 1, 8],
    ['a control character', '<a>\u0001</a>', 1, 4],
  ])('reports %s with its position', (_what, text, line, column) => {
    const error = parseError(text);
    expect(error.line).toBe(line);
    if (column !== undefined) expect(error.column).toBe(column);
    expect(error.message).toContain(`line ${line}`);
  });

  it.each([
    ['empty input', ''],
    ['whitespace only', '   \n '],
    ['plain text', 'not xml at all'],
    ['a lone closing tag', '</a>'],
  ])('refuses %s', (_what, text) => {
    expect(parseError(text).code).toBeTruthy();
  });

  it('refuses element names that would pollute prototypes, without crashing', () => {
    const error = parseError('<a><__proto__>x</__proto__></a>');
    expect(error.code).toBe('ParserRejected');
  });

  it('never throws anything but XmlParseError on random damage', () => {
    const good = "<domain type='kvm'><name>a</name><devices><disk type='file'/></devices></domain>";
    let seed = 42;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 300; i += 1) {
      const at = next() % good.length;
      const damaged =
        good.slice(0, at) + '<&"\'/>'.charAt(next() % 6) + good.slice(at + (next() % 3));
      try {
        parseXml(damaged);
      } catch (error) {
        expect(error).toBeInstanceOf(XmlParseError);
      }
    }
  });
});
