import { describe, expect, it } from 'vitest';
import type { ProtocolFile } from '../../../../build/gen-protocol/ast';
import { ProtocolModel, type ModuleSpec } from '../../../../build/gen-protocol/model';
import type { ExternalConstant, StreamOverride } from '../../../../build/gen-protocol/overrides';
import { parseProtocol } from '../../../../build/gen-protocol/parser';

const SPEC: ModuleSpec = {
  id: 'demo',
  input: 'demo.x',
  output: 'demo.gen.ts',
  deps: [],
  program: {
    programConst: 'DEMO_PROGRAM',
    versionConst: 'DEMO_PROTOCOL_VERSION',
    procedureEnum: 'demo_procedure',
    procPrefix: 'DEMO_PROC_',
    structPrefix: 'demo_',
    tablePrefix: 'demo',
    clientClass: 'DemoClient',
  },
};

const SOURCE = `
const DEMO_MAX = 4;
typedef opaque demo_uuid[EXT_LEN];
struct demo_open_args { demo_uuid u; int flags; };
struct demo_open_ret { int fd; };
struct demo_ping_ret { int x<DEMO_MAX>; };
struct demo_event_thing_msg { int callbackID; };
const DEMO_PROGRAM = 0x1234;
const DEMO_PROTOCOL_VERSION = 1;
enum demo_procedure {
  /** @priority: high */
  DEMO_PROC_OPEN = 1,
  /** @readstream: 1 */
  DEMO_PROC_PING = 2,
  /** @writestream: 1
   * @readstream: 2 */
  DEMO_PROC_EVENT_THING = 3,
  DEMO_PROC_NOTHING = 4
};
`;

const EXT: ExternalConstant[] = [{ name: 'EXT_LEN', value: 16, reason: 'test' }];

function build(
  source = SOURCE,
  externals: readonly ExternalConstant[] = EXT,
  overrides: readonly StreamOverride[] = [],
): ProtocolModel {
  const files = new Map<string, ProtocolFile>([['demo', parseProtocol(source, 'demo.x')]]);
  return new ProtocolModel(files, externals, overrides, [SPEC]);
}

describe('ProtocolModel', () => {
  it('builds the procedure table from naming convention and annotations', () => {
    const prog = build().module('demo').program;
    expect(prog?.program).toBe(0x1234);
    expect(prog?.version).toBe(1);
    expect(prog?.procedures).toEqual([
      {
        key: 'OPEN',
        name: 'DEMO_PROC_OPEN',
        proc: 1,
        args: 'demo_open_args',
        ret: 'demo_open_ret',
        msg: null,
        stream: 'none',
        priority: 'high',
      },
      {
        key: 'PING',
        name: 'DEMO_PROC_PING',
        proc: 2,
        args: null,
        ret: 'demo_ping_ret',
        msg: null,
        stream: 'read',
        priority: 'low',
      },
      {
        key: 'EVENT_THING',
        name: 'DEMO_PROC_EVENT_THING',
        proc: 3,
        args: null,
        ret: null,
        msg: 'demo_event_thing_msg',
        stream: 'both',
        priority: 'low',
      },
      {
        key: 'NOTHING',
        name: 'DEMO_PROC_NOTHING',
        proc: 4,
        args: null,
        ret: null,
        msg: null,
        stream: 'none',
        priority: 'low',
      },
    ]);
  });

  it('resolves constants, enum members and externals', () => {
    const m = build();
    expect(m.resolveName('DEMO_MAX', 'demo')).toEqual({ kind: 'const', module: 'demo', value: 4 });
    expect(m.resolveName('DEMO_PROC_PING', 'demo')).toMatchObject({ kind: 'enumMember', value: 2 });
    expect(m.resolveName('EXT_LEN', 'demo')).toMatchObject({ kind: 'external', value: 16 });
  });

  it('names a missing constant and points at overrides.ts', () => {
    expect(() => build(SOURCE, [])).toThrow(
      /'EXT_LEN' is used in module demo but defined nowhere.*overrides\.ts/,
    );
  });

  it('fails when an external constant is no longer used', () => {
    const stale = [...EXT, { name: 'GONE_LEN', value: 1, reason: 'old' }];
    expect(() => build(SOURCE, stale)).toThrow(
      /external constant GONE_LEN .* no longer used by any \.x file/,
    );
  });

  it('fails when the .x starts defining an external itself', () => {
    expect(() => build(`const EXT_LEN = 16;\n${SOURCE}`)).toThrow(
      /'EXT_LEN' is now defined by the \.x file; remove its override/,
    );
  });

  it('applies a stream override and fails once it stops matching', () => {
    const ok: StreamOverride = {
      module: 'demo',
      procedure: 'DEMO_PROC_PING',
      annotated: 'read',
      direction: 'both',
      reason: 'x',
    };
    expect(build(SOURCE, EXT, [ok]).module('demo').program?.procedures[1]?.stream).toBe('both');
    expect(() => build(SOURCE, EXT, [{ ...ok, annotated: 'write' }])).toThrow(
      /expects the \.x to say 'write' but it says 'read'/,
    );
    expect(() => build(SOURCE, EXT, [{ ...ok, procedure: 'DEMO_PROC_GONE' }])).toThrow(
      /matches no procedure/,
    );
  });

  it('rejects duplicate procedure numbers, names and bad annotations', () => {
    expect(() => build(SOURCE.replace('DEMO_PROC_NOTHING = 4', 'DEMO_PROC_NOTHING = 2'))).toThrow(
      /DEMO_PROC_NOTHING reuses number 2 of DEMO_PROC_PING/,
    );
    expect(() => build(`${SOURCE}\nconst DEMO_MAX = 5;`)).toThrow(/'DEMO_MAX' is defined twice/);
    expect(() => build(SOURCE.replace('@priority: high', '@priority: urgent'))).toThrow(
      /unknown @priority 'urgent'/,
    );
    expect(() =>
      build(SOURCE.replace('struct demo_open_ret { int fd; };', 'typedef int demo_open_ret;')),
    ).toThrow(/demo_open_ret is a typedef, expected a struct/);
  });

  it('refuses references to undefined types', () => {
    expect(() => build(`${SOURCE}\nstruct demo_x { missing_t y; };`)).toThrow(
      /type 'missing_t' used in module demo/,
    );
  });
});
