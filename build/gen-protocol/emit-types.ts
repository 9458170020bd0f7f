import type { Declaration, TypeSpec } from './ast';
import type { EmitContext } from './emit-context';
import { pascalCase } from './naming';
import type { TypeDefinition } from './model';

/**
 * TS type for one element of a declaration's base type. Enums are plain `number` (a newer
 * daemon may send members we do not know); char/short are numbers since rpcgen sends 4 bytes.
 */
export function baseTsType(ctx: EmitContext, type: TypeSpec): string {
  if (type.kind === 'ref') {
    const t = ctx.typeDef(type.name);
    return t.def.kind === 'enum' ? 'number' : ctx.typeName(type.name);
  }
  switch (type.name) {
    case 'hyper':
    case 'uhyper':
      return 'bigint';
    case 'bool':
      return 'boolean';
    case 'opaque':
      return 'Uint8Array';
    case 'string':
      return 'string';
    default:
      return 'number';
  }
}

export function declTsType(ctx: EmitContext, d: Declaration): string {
  const base = baseTsType(ctx, d.type);
  switch (d.shape) {
    case 'scalar':
      return base;
    case 'optional':
      return `${base} | null`;
    case 'fixed':
    case 'variable':
      if (d.type.kind === 'primitive' && (d.type.name === 'opaque' || d.type.name === 'string'))
        return base;
      return `${base}[]`;
  }
}

/** Union arms as a discriminated union keyed by the discriminant's field name. */
function unionType(ctx: EmitContext, def: Extract<TypeDefinition, { kind: 'union' }>): string {
  if (def.defaultArm !== null) {
    throw new Error(`union ${def.name}: 'default' arms are not supported (none in libvirt)`);
  }
  const disc = def.discriminant.name;
  const arms = def.arms.map((arm) => {
    const labels = arm.cases.map((c) => String(ctx.value(c).value)).join(' | ');
    const field =
      arm.declaration === null
        ? ''
        : `; ${arm.declaration.name}: ${declTsType(ctx, arm.declaration)}`;
    return `  | { ${disc}: ${labels}${field} }`;
  });
  return arms.join('\n');
}

/** The `export type`/`export interface` text for a typedef, struct or union. */
export function emitTypeDeclaration(
  ctx: EmitContext,
  def: TypeDefinition,
  comment: string,
): string {
  const name = pascalCase(def.name);
  const doc = `/** ${comment} */\n`;
  switch (def.kind) {
    case 'typedef':
      return `${doc}export type ${name} = ${declTsType(ctx, def.declaration)};\n`;
    case 'struct': {
      const fields = def.fields.map((f) => `  ${f.name}: ${declTsType(ctx, f)};\n`).join('');
      return `${doc}export interface ${name} {\n${fields}}\n`;
    }
    case 'union':
      return `${doc}export type ${name} =\n${unionType(ctx, def)};\n`;
    case 'enum':
      throw new Error('enums are emitted as const objects');
  }
}
