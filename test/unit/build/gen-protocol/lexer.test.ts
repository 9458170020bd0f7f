import { describe, expect, it } from 'vitest';
import {
  ProtocolSyntaxError,
  parseIntegerLiteral,
  tokenize,
} from '../../../../build/gen-protocol/lexer';

describe('tokenize', () => {
  it('splits identifiers, numbers and punctuation and tracks lines', () => {
    const tokens = tokenize('const A = 0x10;\nstruct s {\n  unsigned hyper x<4>;\n};', 't.x');
    expect(tokens.map((t) => t.text)).toEqual([
      'const',
      'A',
      '=',
      '0x10',
      ';',
      'struct',
      's',
      '{',
      'unsigned',
      'hyper',
      'x',
      '<',
      '4',
      '>',
      ';',
      '}',
      ';',
    ]);
    expect(tokens.map((t) => t.kind).slice(0, 4)).toEqual(['ident', 'ident', 'punct', 'number']);
    expect(tokens.find((t) => t.text === 'hyper')?.line).toBe(3);
  });

  it('drops % passthrough lines only at line start', () => {
    const tokens = tokenize('%#include "internal.h"\n  %#include <x.h>\nconst B = 1;', 't.x');
    expect(tokens.map((t) => t.text)).toEqual(['const', 'B', '=', '1', ';']);
  });

  it('keeps block and line comments as tokens, counting their newlines', () => {
    const tokens = tokenize('/* a\n * @priority: high\n */\n// tail\nX', 't.x');
    expect(tokens.map((t) => t.kind)).toEqual(['comment', 'comment', 'ident']);
    expect(tokens[0]?.text).toContain('@priority: high');
    expect(tokens[2]).toMatchObject({ text: 'X', line: 5 });
  });

  it('reads negative numbers as one token', () => {
    expect(tokenize('A = -5', 't.x').map((t) => t.text)).toEqual(['A', '=', '-5']);
  });

  it('reports an unterminated comment with file and line', () => {
    expect(() => tokenize('const A = 1;\n/* never closed', 'bad.x')).toThrow(
      /^bad\.x:2: unterminated comment$/,
    );
  });

  it('rejects characters outside the dialect', () => {
    expect(() => tokenize('const A = 1 + 2;', 'bad.x')).toThrow(ProtocolSyntaxError);
    expect(() => tokenize('const A = 1 + 2;', 'bad.x')).toThrow(
      /bad\.x:1: unexpected character '\+'/,
    );
  });
});

describe('parseIntegerLiteral', () => {
  it('handles decimal, hex, octal and negatives', () => {
    expect(parseIntegerLiteral('4194304', 'f', 1)).toBe(4194304);
    expect(parseIntegerLiteral('0x20008086', 'f', 1)).toBe(0x20008086);
    expect(parseIntegerLiteral('0X6b656570', 'f', 1)).toBe(0x6b656570);
    expect(parseIntegerLiteral('010', 'f', 1)).toBe(8);
    expect(parseIntegerLiteral('0', 'f', 1)).toBe(0);
    expect(parseIntegerLiteral('-2', 'f', 1)).toBe(-2);
  });

  it('rejects malformed literals', () => {
    expect(() => parseIntegerLiteral('12ab', 'f.x', 7)).toThrow(
      /f\.x:7: bad integer literal '12ab'/,
    );
    expect(() => parseIntegerLiteral('09', 'f.x', 7)).toThrow(/bad integer literal/);
    expect(() => parseIntegerLiteral('99999999999999999999', 'f.x', 7)).toThrow(/out of range/);
  });
});
