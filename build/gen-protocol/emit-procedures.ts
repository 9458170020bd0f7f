import type { EmitContext } from './emit-context';
import type { ProcedureModel, ProgramModel } from './model';
import { methodName } from './naming';

function typeOrVoid(ctx: EmitContext, struct: string | null): string {
  return struct === null ? 'void' : ctx.typeName(struct);
}

function codecOrNull(ctx: EmitContext, struct: string | null): string {
  return struct === null ? 'null' : ctx.codec(struct);
}

function procedureEntry(ctx: EmitContext, prog: ProgramModel, p: ProcedureModel): string[] {
  const a = typeOrVoid(ctx, p.args);
  const r = typeOrVoid(ctx, p.ret);
  return [
    `  ${p.key}: procedure<${a}, ${r}>({`,
    `    program: ${prog.spec.programConst},`,
    `    version: ${prog.spec.versionConst},`,
    `    proc: ${p.proc},`,
    `    name: '${p.name}',`,
    `    args: ${codecOrNull(ctx, p.args)},`,
    `    ret: ${codecOrNull(ctx, p.ret)},`,
    `    stream: '${p.stream}',`,
    `    priority: '${p.priority}',`,
    '  }),',
  ];
}

function eventEntry(
  ctx: EmitContext,
  prog: ProgramModel,
  p: ProcedureModel,
  msg: string,
): string[] {
  return [
    `  ${p.key}: event<${ctx.typeName(msg)}>({`,
    `    program: ${prog.spec.programConst},`,
    `    version: ${prog.spec.versionConst},`,
    `    proc: ${p.proc},`,
    `    name: '${p.name}',`,
    `    msg: ${ctx.codec(msg)},`,
    '  }),',
  ];
}

/**
 * Procedure table, by-number map, event table and typed client for one program. Every
 * procedure (events included) is in the table; the client has one method per call.
 */
export function emitProgram(ctx: EmitContext, prog: ProgramModel): string {
  const spec = prog.spec;
  const procInfo = ctx.runtime('ProcedureInfo');
  const tables = `${spec.tablePrefix}Procedures`;
  const events = prog.procedures.filter((p) => p.msg !== null);
  const out: string[] = [];

  out.push(
    `function procedure<A, R>(info: ${procInfo}<A, R>): ${procInfo}<A, R> {`,
    '  return Object.freeze(info);',
    '}',
    '',
  );
  out.push(`/** Every ${spec.procedureEnum} member, keyed without '${spec.procPrefix}'. */`);
  out.push(`export const ${tables} = {`);
  for (const p of prog.procedures) out.push(...procedureEntry(ctx, prog, p));
  out.push('} as const;', '');
  out.push(
    `export const ${tables}ByNumber: ReadonlyMap<number, ${procInfo}<unknown, unknown>> = new Map(`,
    `  Object.values(${tables}).map((p): [number, ${procInfo}<unknown, unknown>] => [p.proc, p]),`,
    ');',
    '',
  );

  if (events.length > 0) {
    const eventInfo = ctx.runtime('EventInfo');
    const eventsName = `${spec.tablePrefix}Events`;
    out.push(
      `function event<M>(info: ${eventInfo}<M>): ${eventInfo}<M> {`,
      '  return Object.freeze(info);',
      '}',
      '',
      '/** Procedures the daemon sends as MESSAGE packets, with their payload codec. */',
      `export const ${eventsName} = {`,
    );
    for (const p of events) if (p.msg !== null) out.push(...eventEntry(ctx, prog, p, p.msg));
    out.push('} as const;', '');
    out.push(
      `export const ${eventsName}ByNumber: ReadonlyMap<number, ${eventInfo}<unknown>> = new Map(`,
      `  Object.values(${eventsName}).map((e): [number, ${eventInfo}<unknown>] => [e.proc, e]),`,
      ');',
      '',
    );
  }

  if (spec.clientClass !== null) {
    const caller = ctx.runtime('RpcCaller');
    out.push(
      `/**`,
      ` * One method per ${spec.procedureEnum} call. Events are excluded, and so are stream`,
      ` * procedures: they return a stream besides the reply, so they go through the connection's`,
      ` * callWithStream() with the table entry instead of a plain call.`,
      ` */`,
      `export class ${spec.clientClass} {`,
      `  constructor(private readonly caller: ${caller}) {}`,
    );
    for (const p of prog.procedures) {
      if (p.msg !== null || p.stream !== 'none') continue;
      const ret = typeOrVoid(ctx, p.ret);
      const param = p.args === null ? '' : `args: ${ctx.typeName(p.args)}`;
      const argExpr = p.args === null ? 'undefined' : 'args';
      out.push(
        '',
        `  /** ${p.name} (${p.proc}) */`,
        `  ${methodName(p.key)}(${param}): Promise<${ret}> {`,
        `    return this.caller.call(${tables}.${p.key}, ${argExpr});`,
        '  }',
      );
    }
    out.push('}', '');
  }
  return out.join('\n');
}
