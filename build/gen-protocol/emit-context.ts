import type { ValueRef } from './ast';
import { codecName, pascalCase } from './naming';
import type { ModuleModel, ProtocolModel, TypeDefinition } from './model';

/** Runtime names a generated module may need, and where they come from. */
const RUNTIME: Record<string, { from: string; typeOnly: boolean }> = {
  XdrCodec: { from: '../xdr/codec', typeOnly: true },
  XdrError: { from: '../xdr/xdr-error', typeOnly: false },
  ProcedureInfo: { from: '../rpc/procedure', typeOnly: true },
  EventInfo: { from: '../rpc/procedure', typeOnly: true },
  RpcCaller: { from: '../rpc/procedure', typeOnly: true },
  narrowInt: { from: './narrow-int', typeOnly: false },
};

function sorted(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Per-output-file state: resolves `.x` names to TS identifiers and records the imports
 * that makes necessary, so cross-module references (qemu → remote) just work.
 */
export class EmitContext {
  private readonly typeImports = new Map<string, Set<string>>();
  private readonly valueImports = new Map<string, Set<string>>();
  /** External constants this file references (inlined typedefs may bring in others' too). */
  readonly externals = new Map<string, { value: number; reason: string }>();

  constructor(
    readonly model: ProtocolModel,
    readonly module: ModuleModel,
  ) {}

  get id(): string {
    return this.module.spec.id;
  }

  private add(map: Map<string, Set<string>>, from: string, name: string): void {
    const set = map.get(from) ?? new Set<string>();
    set.add(name);
    map.set(from, set);
  }

  runtime(name: keyof typeof RUNTIME): string {
    const r = RUNTIME[name];
    if (r === undefined) throw new Error(`unknown runtime name ${name}`);
    this.add(r.typeOnly ? this.typeImports : this.valueImports, r.from, name);
    return name;
  }

  private fromModule(owner: string, name: string, typeOnly: boolean): string {
    if (owner !== this.id) {
      const output = this.model.module(owner).spec.output.replace(/\.ts$/, '');
      this.add(typeOnly ? this.typeImports : this.valueImports, `./${output}`, name);
    }
    return name;
  }

  typeDef(name: string): { module: string; def: TypeDefinition } {
    return this.model.typeDef(name, this.id);
  }

  /** TS type name for a named struct/union/typedef (enums are plain numbers, see emit-types). */
  typeName(name: string): string {
    const t = this.typeDef(name);
    return this.fromModule(t.module, pascalCase(name), true);
  }

  codec(name: string): string {
    const t = this.typeDef(name);
    return this.fromModule(t.module, codecName(name), false);
  }

  /** A TS expression for a size/case value: the constant's name where one is in scope. */
  value(ref: ValueRef): { expr: string; value: number } {
    if (ref.kind === 'number') return { expr: String(ref.value), value: ref.value };
    const r = this.model.resolveName(ref.name, this.id);
    switch (r.kind) {
      case 'const':
        return { expr: this.fromModule(r.module, ref.name, false), value: r.value };
      case 'external':
        // Externals are declared in every module that uses them (see emit-module).
        this.externals.set(ref.name, { value: r.constant.value, reason: r.constant.reason });
        return { expr: ref.name, value: r.constant.value };
      case 'enumMember':
        return {
          expr: `${this.fromModule(r.module, pascalCase(r.enumName), false)}.${ref.name}`,
          value: r.value,
        };
    }
  }

  importLines(): string[] {
    const lines: string[] = [];
    const sources = sorted(new Set([...this.typeImports.keys(), ...this.valueImports.keys()]));
    for (const from of sources) {
      const values = sorted(this.valueImports.get(from) ?? []);
      // A value import brings its type along; importing both would declare the name twice.
      const types = sorted(this.typeImports.get(from) ?? []).filter((n) => !values.includes(n));
      if (types.length > 0) lines.push(formatImport(types, from, true));
      if (values.length > 0) lines.push(formatImport(values, from, false));
    }
    return lines;
  }
}

function formatImport(names: string[], from: string, typeOnly: boolean): string {
  const kw = typeOnly ? 'import type' : 'import';
  const one = `${kw} { ${names.join(', ')} } from '${from}';`;
  if (one.length <= 100) return one;
  return `${kw} {\n${names.map((n) => `  ${n},\n`).join('')}} from '${from}';`;
}
