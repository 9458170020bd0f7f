import type { Annotations, Declaration, Definition, ProtocolFile, TypeSpec, ValueRef } from './ast';
import type { ExternalConstant, StreamOverride } from './overrides';
import type { StreamDirection } from '../../electron/libvirt/rpc/procedure';
import { MODULES, type ModuleSpec, type ProgramSpec } from './module-specs';

export type { ModuleSpec, ProgramSpec };

export type TypeDefinition = Extract<Definition, { kind: 'typedef' | 'enum' | 'struct' | 'union' }>;

export interface ProcedureModel {
  /** Enum member without the program prefix: 'DOMAIN_LOOKUP_BY_NAME'. */
  key: string;
  /** Full enum member: 'REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME'. */
  name: string;
  proc: number;
  args: string | null;
  ret: string | null;
  msg: string | null;
  stream: StreamDirection;
  priority: 'high' | 'low';
}

export interface ProgramModel {
  spec: ProgramSpec;
  program: number;
  version: number;
  procedures: ProcedureModel[];
}

export interface ModuleModel {
  spec: ModuleSpec;
  file: ProtocolFile;
  program: ProgramModel | null;
  /** External constants (from overrides.ts) this module references, sorted by name. */
  externals: ExternalConstant[];
}

/** Where a name is defined, as seen from one module. */
export type Resolved =
  | { kind: 'const'; module: string; value: number }
  | { kind: 'external'; constant: ExternalConstant; value: number }
  | { kind: 'enumMember'; module: string; enumName: string; value: number };

/** A failure in the input or the overrides, reported with a clear message. */
export class ProtocolModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolModelError';
  }
}

/**
 * The resolved protocol: every module's definitions, a symbol table per module, the
 * procedure tables, and the external constants and overrides that were applied.
 */
export class ProtocolModel {
  readonly modules: ModuleModel[] = [];
  private readonly consts = new Map<string, { module: string; value: ValueRef; line: number }>();
  private readonly types = new Map<string, { module: string; def: TypeDefinition }>();
  private readonly enumMembers = new Map<
    string,
    { module: string; enumName: string; value: ValueRef }
  >();
  private readonly externals: ReadonlyMap<string, ExternalConstant>;
  private readonly usedExternals = new Map<string, Set<string>>();

  constructor(
    files: ReadonlyMap<string, ProtocolFile>,
    externals: readonly ExternalConstant[],
    streamOverrides: readonly StreamOverride[],
    specs: readonly ModuleSpec[] = MODULES,
  ) {
    this.externals = new Map(externals.map((e) => [e.name, e]));
    for (const spec of specs) {
      const file = files.get(spec.id);
      if (file === undefined) throw new ProtocolModelError(`no parsed input for module ${spec.id}`);
      this.index(spec, file);
      this.modules.push({ spec, file, program: null, externals: [] });
    }
    for (const m of this.modules) this.checkReferences(m);
    for (const m of this.modules) {
      if (m.spec.program !== null) m.program = this.buildProgram(m, m.spec.program);
    }
    this.applyStreamOverrides(streamOverrides);
    this.finishExternals();
  }

  module(id: string): ModuleModel {
    const m = this.modules.find((x) => x.spec.id === id);
    if (m === undefined) throw new ProtocolModelError(`unknown module ${id}`);
    return m;
  }

  private index(spec: ModuleSpec, file: ProtocolFile): void {
    const where = (line: number): string => `${file.fileName}:${line}`;
    for (const def of file.definitions) {
      if (def.kind === 'const') {
        this.claimName(def.name, where(def.line));
        this.consts.set(def.name, { module: spec.id, value: def.value, line: def.line });
      } else {
        this.claimName(def.name, where(def.line));
        this.types.set(def.name, { module: spec.id, def });
        if (def.kind === 'enum') {
          for (const m of def.members) {
            this.claimName(m.name, where(m.line));
            this.enumMembers.set(m.name, { module: spec.id, enumName: def.name, value: m.value });
          }
        }
      }
    }
  }

  private claimName(name: string, where: string): void {
    if (this.consts.has(name) || this.types.has(name) || this.enumMembers.has(name)) {
      throw new ProtocolModelError(`${where}: '${name}' is defined twice`);
    }
    if (this.externals.has(name)) {
      throw new ProtocolModelError(
        `${where}: '${name}' is now defined by the .x file; remove its override from build/gen-protocol/overrides.ts`,
      );
    }
  }

  private visible(from: string, owner: string): boolean {
    if (from === owner) return true;
    const spec = this.modules.find((m) => m.spec.id === from)?.spec;
    return spec !== undefined && spec.deps.includes(owner);
  }

  /** Resolves a constant or enum-member name as seen from module `from`. */
  resolveName(name: string, from: string): Resolved {
    const c = this.consts.get(name);
    if (c !== undefined && this.visible(from, c.module)) {
      return { kind: 'const', module: c.module, value: this.valueOf(c.value, c.module) };
    }
    const e = this.enumMembers.get(name);
    if (e !== undefined && this.visible(from, e.module)) {
      return {
        kind: 'enumMember',
        module: e.module,
        enumName: e.enumName,
        value: this.valueOf(e.value, e.module),
      };
    }
    const x = this.externals.get(name);
    if (x !== undefined) {
      const users = this.usedExternals.get(name) ?? new Set<string>();
      users.add(from);
      this.usedExternals.set(name, users);
      return { kind: 'external', constant: x, value: x.value };
    }
    throw new ProtocolModelError(
      `'${name}' is used in module ${from} but defined nowhere; if it comes from a C header, add it to externalConstants in build/gen-protocol/overrides.ts`,
    );
  }

  valueOf(ref: ValueRef, from: string): number {
    return ref.kind === 'number' ? ref.value : this.resolveName(ref.name, from).value;
  }

  /** A named type as seen from module `from`. */
  typeDef(name: string, from: string): { module: string; def: TypeDefinition } {
    const t = this.types.get(name);
    if (t === undefined || !this.visible(from, t.module)) {
      throw new ProtocolModelError(
        `type '${name}' used in module ${from} is not defined there or in its deps`,
      );
    }
    return t;
  }

  /** Fails early, with the file name, on any name or size that does not resolve. */
  private checkReferences(m: ModuleModel): void {
    const id = m.spec.id;
    const checkType = (t: TypeSpec): void => {
      if (t.kind === 'ref') this.typeDef(t.name, id);
    };
    const checkDecl = (d: Declaration): void => {
      checkType(d.type);
      const sizeRef = d.shape === 'fixed' || d.shape === 'variable' ? d.size : undefined;
      if (sizeRef !== undefined) {
        const size = this.valueOf(sizeRef, id);
        if (!Number.isInteger(size) || size < 0 || size > 0xffffffff) {
          throw new ProtocolModelError(`${m.file.fileName}: bad size ${size} for '${d.name}'`);
        }
      }
    };
    for (const def of m.file.definitions) {
      switch (def.kind) {
        case 'const':
          this.valueOf(def.value, id);
          break;
        case 'typedef':
          checkDecl(def.declaration);
          break;
        case 'enum':
          for (const mem of def.members) this.valueOf(mem.value, id);
          break;
        case 'struct':
          for (const f of def.fields) checkDecl(f);
          break;
        case 'union':
          checkType(def.discriminant.type);
          for (const arm of [...def.arms, ...(def.defaultArm ? [def.defaultArm] : [])]) {
            for (const c of arm.cases) this.valueOf(c, id);
            if (arm.declaration) checkDecl(arm.declaration);
          }
          break;
      }
    }
  }

  private buildProgram(m: ModuleModel, spec: ProgramSpec): ProgramModel {
    const id = m.spec.id;
    const fileName = m.file.fileName;
    const program = this.resolveName(spec.programConst, id).value;
    const version = this.resolveName(spec.versionConst, id).value;
    const enumDef = this.typeDef(spec.procedureEnum, id).def;
    if (enumDef.kind !== 'enum')
      throw new ProtocolModelError(`${spec.procedureEnum} is not an enum`);
    const procedures: ProcedureModel[] = [];
    const numbers = new Map<number, string>();
    for (const member of enumDef.members) {
      if (!member.name.startsWith(spec.procPrefix)) {
        throw new ProtocolModelError(
          `${fileName}:${member.line}: ${member.name} lacks prefix ${spec.procPrefix}`,
        );
      }
      const key = member.name.slice(spec.procPrefix.length);
      const proc = this.valueOf(member.value, id);
      const clash = numbers.get(proc);
      if (clash !== undefined) {
        throw new ProtocolModelError(
          `${fileName}:${member.line}: ${member.name} reuses number ${proc} of ${clash}`,
        );
      }
      numbers.set(proc, member.name);
      const base = spec.structPrefix + key.toLowerCase();
      const payload = (suffix: string): string | null => {
        const name = `${base}_${suffix}`;
        const t = this.types.get(name);
        if (t === undefined || t.module !== id) return null;
        if (t.def.kind !== 'struct')
          throw new ProtocolModelError(`${name} is a ${t.def.kind}, expected a struct`);
        return name;
      };
      const args = payload('args');
      const ret = payload('ret');
      const msg = payload('msg');
      if (msg !== null && (args !== null || ret !== null)) {
        throw new ProtocolModelError(
          `${member.name} has a _msg struct and also _args/_ret; cannot classify it`,
        );
      }
      procedures.push({
        key,
        name: member.name,
        proc,
        args,
        ret,
        msg,
        stream: streamFromAnnotations(member.annotations, `${fileName}:${member.line}`),
        priority: priorityFromAnnotations(member.annotations, `${fileName}:${member.line}`),
      });
    }
    return { spec, program, version, procedures };
  }

  private applyStreamOverrides(overrides: readonly StreamOverride[]): void {
    for (const o of overrides) {
      const prog = this.modules.find((m) => m.spec.id === o.module)?.program;
      const p = prog?.procedures.find((x) => x.name === o.procedure);
      if (p === undefined) {
        throw new ProtocolModelError(
          `stream override for ${o.module}/${o.procedure} matches no procedure`,
        );
      }
      if (p.stream !== o.annotated) {
        throw new ProtocolModelError(
          `stream override for ${o.procedure} expects the .x to say '${o.annotated}' but it says '${p.stream}'; ` +
            'review or remove the override in build/gen-protocol/overrides.ts',
        );
      }
      p.stream = o.direction;
    }
  }

  private finishExternals(): void {
    for (const x of this.externals.values()) {
      if (!this.usedExternals.has(x.name)) {
        throw new ProtocolModelError(
          `external constant ${x.name} in build/gen-protocol/overrides.ts is no longer used by any .x file; remove it`,
        );
      }
    }
    for (const m of this.modules) {
      m.externals = [...this.externals.values()]
        .filter((x) => this.usedExternals.get(x.name)?.has(m.spec.id) === true)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
  }
}

function single(annotations: Annotations, key: string, where: string): string | undefined {
  const values = annotations.get(key);
  if (values === undefined) return undefined;
  if (values.length !== 1)
    throw new ProtocolModelError(`${where}: @${key} given ${values.length} times`);
  return values[0];
}

function streamFromAnnotations(annotations: Annotations, where: string): StreamDirection {
  const read = single(annotations, 'readstream', where);
  const write = single(annotations, 'writestream', where);
  for (const v of [read, write]) {
    if (v !== undefined && !/^\d+$/.test(v))
      throw new ProtocolModelError(`${where}: bad stream annotation '${v}'`);
  }
  if (read !== undefined && write !== undefined) return 'both';
  if (read !== undefined) return 'read';
  if (write !== undefined) return 'write';
  return 'none';
}

function priorityFromAnnotations(annotations: Annotations, where: string): 'high' | 'low' {
  const p = single(annotations, 'priority', where);
  if (p === undefined || p === 'low') return 'low';
  if (p === 'high') return 'high';
  throw new ProtocolModelError(`${where}: unknown @priority '${p}'`);
}
