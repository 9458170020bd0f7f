import { describe, expect, it } from 'vitest';
import type { Definition } from '../../../../build/gen-protocol/ast';
import { parseAnnotations, parseProtocol } from '../../../../build/gen-protocol/parser';

function only(source: string): Definition {
  const defs = parseProtocol(source, 'snippet.x').definitions;
  expect(defs).toHaveLength(1);
  const d = defs[0];
  if (d === undefined) throw new Error('no definition');
  return d;
}

describe('parseProtocol', () => {
  it('parses constants with numbers and names', () => {
    const defs = parseProtocol('const A = 0x10;\nconst B = A;', 's.x').definitions;
    expect(defs).toEqual([
      { kind: 'const', name: 'A', value: { kind: 'number', value: 16, text: '0x10' }, line: 1 },
      { kind: 'const', name: 'B', value: { kind: 'name', name: 'A' }, line: 2 },
    ]);
  });

  it('parses every declaration shape and primitive spelling', () => {
    const d = only(`struct s {
      unsigned prog;
      unsigned int u;
      int i;
      hyper h;
      unsigned hyper uh;
      char model[32];
      unsigned char state;
      short sh;
      unsigned short nrVirtCpu;
      bool b;
      float f;
      double d;
      opaque uuid[VIR_UUID_BUFLEN];
      opaque cpumap<REMOTE_CPUMAP_MAX>;
      string s<>;
      remote_nonnull_string *name;
      remote_typed_param params<16>;
    };`);
    if (d.kind !== 'struct') throw new Error('expected struct');
    const shapes = d.fields.map((f) => [
      f.name,
      f.shape,
      f.type.kind === 'primitive' ? f.type.name : f.type.name,
    ]);
    expect(shapes).toEqual([
      ['prog', 'scalar', 'uint'],
      ['u', 'scalar', 'uint'],
      ['i', 'scalar', 'int'],
      ['h', 'scalar', 'hyper'],
      ['uh', 'scalar', 'uhyper'],
      ['model', 'fixed', 'char'],
      ['state', 'scalar', 'uchar'],
      ['sh', 'scalar', 'short'],
      ['nrVirtCpu', 'scalar', 'ushort'],
      ['b', 'scalar', 'bool'],
      ['f', 'scalar', 'float'],
      ['d', 'scalar', 'double'],
      ['uuid', 'fixed', 'opaque'],
      ['cpumap', 'variable', 'opaque'],
      ['s', 'variable', 'string'],
      ['name', 'optional', 'remote_nonnull_string'],
      ['params', 'variable', 'remote_typed_param'],
    ]);
    const s = d.fields[14];
    expect(s?.shape === 'variable' ? s.size : 'x').toBeUndefined();
    const model = d.fields[5];
    expect(model?.shape === 'fixed' ? model.size : null).toEqual({
      kind: 'number',
      value: 32,
      text: '32',
    });
  });

  it('parses typedefs including optional pointers', () => {
    expect(only('typedef remote_nonnull_string *remote_string;')).toMatchObject({
      kind: 'typedef',
      name: 'remote_string',
      declaration: { shape: 'optional', type: { kind: 'ref', name: 'remote_nonnull_string' } },
    });
  });

  it('attaches only the annotation comment right before each enum member', () => {
    const d = only(`enum p {
      /* Each function must be preceded by a comment:
       * - @generate: none|client|server|both
       * - @readstream: paramnumber
       */
      /**
       * @generate: none
       * @priority: high
       * @acl: domain:read
       * @acl: domain:write
       */
      P_ONE = 1, /* trailing note @priority: low */

      /** @readstream: 1 */
      P_TWO = 2,
      P_THREE = P_TWO
    };`);
    if (d.kind !== 'enum') throw new Error('expected enum');
    const [one, two, three] = d.members;
    expect(one?.name).toBe('P_ONE');
    expect([...(one?.annotations ?? [])]).toEqual([
      ['generate', ['none']],
      ['priority', ['high']],
      ['acl', ['domain:read', 'domain:write']],
    ]);
    expect([...(two?.annotations ?? [])]).toEqual([['readstream', ['1']]]);
    expect(three?.annotations.size).toBe(0);
    expect(three?.value).toEqual({ kind: 'name', name: 'P_TWO' });
  });

  it('parses a switch union with shared labels, void arms and default', () => {
    const d = only(`union u switch (int type) {
      case A: int i;
      case B:
      case 3: hyper l;
      case 4: void;
      default: void;
    };`);
    if (d.kind !== 'union') throw new Error('expected union');
    expect(d.discriminant).toEqual({ name: 'type', type: { kind: 'primitive', name: 'int' } });
    expect(d.arms.map((a) => [a.cases.length, a.declaration?.name ?? null])).toEqual([
      [1, 'i'],
      [2, 'l'],
      [1, null],
    ]);
    expect(d.defaultArm).toEqual({ cases: [], declaration: null });
  });

  it('reports errors with file and line', () => {
    expect(() => parseProtocol('struct s {\n  opaque x;\n};', 'e.x')).toThrow(
      /^e\.x:2: opaque 'x' needs a length$/,
    );
    expect(() => parseProtocol('struct s {\n  string x[4];\n};', 'e.x')).toThrow(
      /e\.x:2: string needs <N>/,
    );
    expect(() => parseProtocol('struct s { int x; }', 'e.x')).toThrow(
      /e\.x:1: unexpected end of file/,
    );
    expect(() => parseProtocol('struct s { };', 'e.x')).toThrow(/empty struct/);
    expect(() => parseProtocol('program P { } = 1;', 'e.x')).toThrow(
      /program definitions are not supported/,
    );
    expect(() => parseProtocol('struct s { string *x; };', 'e.x')).toThrow(
      /optional string is not valid XDR/,
    );
    expect(() => parseProtocol('const A 1;', 'e.x')).toThrow(/expected '=', got '1'/);
  });
});

describe('parseAnnotations', () => {
  it('reads @key: value lines and ignores prose mentioning annotations', () => {
    const a = parseAnnotations([
      '/**\n * @generate: both\n * The @readstream annotation says\n * - @writestream: paramnumber\n * @sparseflag: VIR_X */',
    ]);
    expect([...a]).toEqual([
      ['generate', ['both']],
      ['sparseflag', ['VIR_X']],
    ]);
  });
});
