import type { Declaration, TypeSpec, ValueRef } from './ast';
import type { EmitContext } from './emit-context';
import { baseTsType } from './emit-types';
import type { TypeDefinition } from './model';
import { codecName, localName, pascalCase } from './naming';

/** Bound for `<>`: strings are capped like libvirt's long strings, the rest by XDR's u32. */
const UNBOUNDED_STRING = '4194304 /* VIR_NET_MESSAGE_STRING_MAX */';
const UNBOUNDED_OTHER = '0xffffffff';

type Lines = string[];

function isBytes(t: TypeSpec): boolean {
  return t.kind === 'primitive' && (t.name === 'opaque' || t.name === 'string');
}

/** Arrays of anything but bytes need loops, so they are statements, not expressions. */
function isExpression(d: Declaration): boolean {
  return d.shape === 'scalar' || d.shape === 'optional' || isBytes(d.type);
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * Emits straight-line encode/decode code for one definition. Typedefs of scalars, optionals
 * and byte strings are inlined at each use; structs, unions and array typedefs are called
 * through their codec.
 */
class CodecWriter {
  private tmp = 0;

  constructor(private readonly ctx: EmitContext) {}

  private fresh(prefix: string): string {
    return `$${prefix}${this.tmp++}`;
  }

  private bound(size: ValueRef | undefined, type: TypeSpec): string {
    if (size === undefined)
      return isBytes(type) && type.name === 'string' ? UNBOUNDED_STRING : UNBOUNDED_OTHER;
    return this.ctx.value(size).expr;
  }

  /** Typedef declaration to inline in place of a reference, or null to call its codec. */
  private inlineTypedef(name: string): Declaration | null {
    const t = this.ctx.typeDef(name);
    if (t.def.kind !== 'typedef') return null;
    return isExpression(t.def.declaration) ? t.def.declaration : null;
  }

  private encodeScalar(type: TypeSpec, val: string, what: string, out: Lines, ind: string): void {
    if (type.kind === 'ref') {
      const t = this.ctx.typeDef(type.name);
      if (t.def.kind === 'enum') {
        out.push(`${ind}w.int(${val});`);
        return;
      }
      const inline = this.inlineTypedef(type.name);
      if (inline !== null) {
        this.encodeDecl(inline, val, what, out, ind);
        return;
      }
      out.push(`${ind}${this.ctx.codec(type.name)}.encode(w, ${val});`);
      return;
    }
    const narrow = (fn: string): void => {
      out.push(`${ind}${this.ctx.runtime('narrowInt')}.${fn}(w, ${val});`);
    };
    switch (type.name) {
      case 'int':
      case 'uint':
      case 'hyper':
      case 'uhyper':
      case 'bool':
      case 'float':
      case 'double':
        out.push(`${ind}w.${type.name}(${val});`);
        return;
      case 'char':
        return narrow('writeChar');
      case 'uchar':
        return narrow('writeUChar');
      case 'short':
        return narrow('writeShort');
      case 'ushort':
        return narrow('writeUShort');
      case 'opaque':
      case 'string':
        throw new Error(`${what}: ${type.name} without a length`);
    }
  }

  encodeDecl(d: Declaration, val: string, what: string, out: Lines, ind: string): void {
    switch (d.shape) {
      case 'scalar':
        this.encodeScalar(d.type, val, what, out, ind);
        return;
      case 'optional':
        out.push(
          `${ind}if (${val} === null) {`,
          `${ind}  w.int(0);`,
          `${ind}} else {`,
          `${ind}  w.int(1);`,
        );
        this.encodeScalar(d.type, val, what, out, `${ind}  `);
        out.push(`${ind}}`);
        return;
      case 'fixed': {
        const size = this.ctx.value(d.size).expr;
        if (isBytes(d.type)) {
          out.push(`${ind}w.fixedOpaque(${val}, ${size});`);
          return;
        }
        const err = this.ctx.runtime('XdrError');
        out.push(
          `${ind}if (${val}.length !== ${size}) {`,
          `${ind}  throw new ${err}(\`${what}: needs \${${size}} elements, got \${${val}.length}\`);`,
          `${ind}}`,
        );
        this.encodeLoop(d.type, val, what, out, ind);
        return;
      }
      case 'variable': {
        const max = this.bound(d.size, d.type);
        if (d.type.kind === 'primitive' && d.type.name === 'string') {
          out.push(`${ind}w.string(${val}, ${max});`);
          return;
        }
        if (d.type.kind === 'primitive' && d.type.name === 'opaque') {
          out.push(`${ind}w.opaque(${val}, ${max});`);
          return;
        }
        out.push(`${ind}w.count(${val}.length, ${max}, ${quote(what)});`);
        this.encodeLoop(d.type, val, what, out, ind);
        return;
      }
    }
  }

  private encodeLoop(type: TypeSpec, val: string, what: string, out: Lines, ind: string): void {
    const e = this.fresh('e');
    out.push(`${ind}for (const ${e} of ${val}) {`);
    this.encodeScalar(type, e, `${what}[]`, out, `${ind}  `);
    out.push(`${ind}}`);
  }

  private decodeScalar(type: TypeSpec, what: string): string {
    if (type.kind === 'ref') {
      const t = this.ctx.typeDef(type.name);
      if (t.def.kind === 'enum') return 'r.int()';
      const inline = this.inlineTypedef(type.name);
      if (inline !== null) return this.decodeExpression(inline, what);
      return `${this.ctx.codec(type.name)}.decode(r)`;
    }
    const narrow = (fn: string): string => `${this.ctx.runtime('narrowInt')}.${fn}(r)`;
    switch (type.name) {
      case 'int':
      case 'uint':
      case 'hyper':
      case 'uhyper':
      case 'bool':
      case 'float':
      case 'double':
        return `r.${type.name}()`;
      case 'char':
        return narrow('readChar');
      case 'uchar':
        return narrow('readUChar');
      case 'short':
        return narrow('readShort');
      case 'ushort':
        return narrow('readUShort');
      case 'opaque':
      case 'string':
        throw new Error(`${what}: ${type.name} without a length`);
    }
  }

  /** Decode expression for a declaration that `isExpression`. */
  decodeExpression(d: Declaration, what: string): string {
    switch (d.shape) {
      case 'scalar':
        return this.decodeScalar(d.type, what);
      case 'optional':
        return `r.bool() ? ${this.decodeScalar(d.type, what)} : null`;
      case 'fixed':
        return `r.fixedOpaque(${this.ctx.value(d.size).expr})`;
      case 'variable': {
        const max = this.bound(d.size, d.type);
        return d.type.kind === 'primitive' && d.type.name === 'string'
          ? `r.string(${max})`
          : `r.opaque(${max})`;
      }
    }
  }

  /** Statements leaving the decoded value in `target` (a new const). */
  decodeInto(d: Declaration, target: string, what: string, out: Lines, ind: string): void {
    if (isExpression(d)) {
      out.push(`${ind}const ${target} = ${this.decodeExpression(d, what)};`);
      return;
    }
    if (d.shape === 'scalar' || d.shape === 'optional') throw new Error(`${what}: not an array`);
    const i = this.fresh('i');
    let limit: string;
    if (d.shape === 'fixed') {
      limit = this.ctx.value(d.size).expr;
    } else {
      limit = this.fresh('n');
      out.push(`${ind}const ${limit} = r.count(${this.bound(d.size, d.type)}, ${quote(what)});`);
    }
    out.push(
      `${ind}const ${target}: ${baseTsType(this.ctx, d.type)}[] = [];`,
      `${ind}for (let ${i} = 0; ${i} < ${limit}; ${i}++) {`,
      `${ind}  ${target}.push(${this.decodeScalar(d.type, `${what}[]`)});`,
      `${ind}}`,
    );
  }
}

function emitStruct(ctx: EmitContext, def: Extract<TypeDefinition, { kind: 'struct' }>): Lines {
  const cw = new CodecWriter(ctx);
  const enc: Lines = [];
  for (const f of def.fields) cw.encodeDecl(f, `v.${f.name}`, `${def.name}.${f.name}`, enc, '    ');
  const dec: Lines = [];
  if (def.fields.every(isExpression)) {
    dec.push('    return {');
    for (const f of def.fields)
      dec.push(`      ${f.name}: ${cw.decodeExpression(f, `${def.name}.${f.name}`)},`);
    dec.push('    };');
  } else {
    for (const f of def.fields)
      cw.decodeInto(f, localName(f.name), `${def.name}.${f.name}`, dec, '    ');
    const props = def.fields.map((f) =>
      localName(f.name) === f.name ? f.name : `${f.name}: ${localName(f.name)}`,
    );
    dec.push(`    return { ${props.join(', ')} };`);
  }
  return ['  encode(w, v) {', ...enc, '  },', '  decode(r) {', ...dec, '  },'];
}

function emitTypedef(ctx: EmitContext, def: Extract<TypeDefinition, { kind: 'typedef' }>): Lines {
  const cw = new CodecWriter(ctx);
  const enc: Lines = [];
  cw.encodeDecl(def.declaration, 'v', def.name, enc, '    ');
  const dec: Lines = [];
  if (isExpression(def.declaration)) {
    dec.push(`    return ${cw.decodeExpression(def.declaration, def.name)};`);
  } else {
    cw.decodeInto(def.declaration, '$v', def.name, dec, '    ');
    dec.push('    return $v;');
  }
  return ['  encode(w, v) {', ...enc, '  },', '  decode(r) {', ...dec, '  },'];
}

function emitUnion(ctx: EmitContext, def: Extract<TypeDefinition, { kind: 'union' }>): Lines {
  const cw = new CodecWriter(ctx);
  const disc = def.discriminant;
  if (disc.type.kind === 'primitive' && !['int', 'uint'].includes(disc.type.name)) {
    throw new Error(`union ${def.name}: discriminant type ${disc.type.name} is not supported`);
  }
  if (disc.type.kind === 'ref' && ctx.typeDef(disc.type.name).def.kind !== 'enum') {
    throw new Error(`union ${def.name}: discriminant must be an int or enum`);
  }
  const err = ctx.runtime('XdrError');
  const enc: Lines = [`    switch (v.${disc.name}) {`];
  const dec: Lines = [
    `    const ${localName(disc.name)} = ${disc.type.kind === 'primitive' && disc.type.name === 'uint' ? 'r.uint()' : 'r.int()'};`,
  ];
  dec.push(`    switch (${localName(disc.name)}) {`);
  for (const arm of def.arms) {
    const labels = arm.cases.map((c) => ctx.value(c));
    for (const l of labels) {
      enc.push(`      case ${l.value}: // ${l.expr}`);
      dec.push(`      case ${l.value}: // ${l.expr}`);
    }
    cw.encodeDecl(
      { shape: 'scalar', name: disc.name, type: disc.type },
      `v.${disc.name}`,
      `${def.name}.${disc.name}`,
      enc,
      '        ',
    );
    const discValue =
      labels.length === 1
        ? String(labels[0]?.value)
        : `${localName(disc.name)} as ${labels.map((l) => l.value).join(' | ')}`;
    const d = arm.declaration;
    if (d === null) {
      dec.push(`        return { ${disc.name}: ${discValue} };`);
    } else {
      cw.encodeDecl(d, `v.${d.name}`, `${def.name}.${d.name}`, enc, '        ');
      if (isExpression(d)) {
        dec.push(
          `        return { ${disc.name}: ${discValue}, ${d.name}: ${cw.decodeExpression(d, `${def.name}.${d.name}`)} };`,
        );
      } else {
        dec.push('      {');
        cw.decodeInto(d, '$arm', `${def.name}.${d.name}`, dec, '        ');
        dec.push(`        return { ${disc.name}: ${discValue}, ${d.name}: $arm };`, '      }');
      }
    }
    enc.push('        return;');
  }
  enc.push(
    '      default:',
    `        throw new ${err}(\`${def.name}: unknown ${disc.name} \${String((v as { ${disc.name}: unknown }).${disc.name})}\`);`,
    '    }',
  );
  dec.push(
    '      default:',
    `        throw new ${err}(\`${def.name}: unknown ${disc.name} \${${localName(disc.name)}}\`);`,
    '    }',
  );
  return ['  encode(w, v) {', ...enc, '  },', '  decode(r) {', ...dec, '  },'];
}

/** `export const xCodec: XdrCodec<X> = { encode, decode };` for a typedef, struct or union. */
export function emitCodec(ctx: EmitContext, def: TypeDefinition): string {
  let body: Lines;
  switch (def.kind) {
    case 'struct':
      body = emitStruct(ctx, def);
      break;
    case 'typedef':
      body = emitTypedef(ctx, def);
      break;
    case 'union':
      body = emitUnion(ctx, def);
      break;
    case 'enum':
      throw new Error('enums have no codec');
  }
  const codecType = `${ctx.runtime('XdrCodec')}<${pascalCase(def.name)}>`;
  return [`export const ${codecName(def.name)}: ${codecType} = {`, ...body, '};', ''].join('\n');
}
