import type {
  Annotations,
  Declaration,
  Definition,
  EnumMember,
  PrimitiveName,
  ProtocolFile,
  TypeSpec,
  UnionArm,
  ValueRef,
} from './ast';
import { ProtocolSyntaxError, parseIntegerLiteral, tokenize, type Token } from './lexer';

/** Reads `@key: value` lines (the comment must put each at the start of a line). */
export function parseAnnotations(comments: readonly string[]): Annotations {
  const out = new Map<string, string[]>();
  for (const comment of comments) {
    for (const rawLine of comment.split('\n')) {
      const line = rawLine.replace(/^\s*(\/\*+|\*+|\/\/)?\s*/, '');
      const m = /^@([A-Za-z][\w-]*):\s*(.*?)\s*(\*\/)?\s*$/.exec(line);
      if (!m) continue;
      const key = m[1] ?? '';
      const list = out.get(key) ?? [];
      list.push(m[2] ?? '');
      out.set(key, list);
    }
  }
  return out;
}

/** Parses one rpcgen `.x` source into its definitions, in file order. */
export function parseProtocol(source: string, fileName: string): ProtocolFile {
  return new Parser(tokenize(source, fileName), fileName).parseFile();
}

class Parser {
  private pos = 0;
  /** Comments seen since the last significant token, for enum member annotations. */
  private pendingComments: string[] = [];

  constructor(
    private readonly tokens: readonly Token[],
    private readonly fileName: string,
  ) {}

  parseFile(): ProtocolFile {
    const definitions: Definition[] = [];
    while (this.peek() !== undefined) definitions.push(this.parseDefinition());
    return { fileName: this.fileName, definitions };
  }

  private fail(message: string, token = this.peek()): never {
    const line = token?.line ?? this.tokens[this.tokens.length - 1]?.line ?? 1;
    throw new ProtocolSyntaxError(this.fileName, line, message);
  }

  /** Next significant token; comments before it are collected, not returned. */
  private peek(): Token | undefined {
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t === undefined || t.kind !== 'comment') return t;
      this.pendingComments.push(t.text);
      this.pos++;
    }
    return undefined;
  }

  private next(): Token {
    const t = this.peek();
    if (t === undefined) this.fail('unexpected end of file');
    this.pos++;
    return t;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }

  private isWord(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'ident' && t.text === text;
  }

  private expectPunct(text: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== text) this.fail(`expected '${text}', got '${t.text}'`, t);
  }

  private expectWord(text: string): void {
    const t = this.next();
    if (t.kind !== 'ident' || t.text !== text) this.fail(`expected '${text}', got '${t.text}'`, t);
  }

  private identifier(what: string): string {
    const t = this.next();
    if (t.kind !== 'ident') this.fail(`expected ${what}, got '${t.text}'`, t);
    return t.text;
  }

  private value(): ValueRef {
    const t = this.next();
    if (t.kind === 'number') {
      return {
        kind: 'number',
        value: parseIntegerLiteral(t.text, this.fileName, t.line),
        text: t.text,
      };
    }
    if (t.kind === 'ident') return { kind: 'name', name: t.text };
    return this.fail(`expected a number or constant name, got '${t.text}'`, t);
  }

  private parseDefinition(): Definition {
    const t = this.next();
    this.pendingComments = [];
    if (t.kind !== 'ident') this.fail(`expected a definition, got '${t.text}'`, t);
    let def: Definition;
    switch (t.text) {
      case 'const': {
        const name = this.identifier('constant name');
        this.expectPunct('=');
        def = { kind: 'const', name, value: this.value(), line: t.line };
        break;
      }
      case 'typedef': {
        const declaration = this.parseDeclaration();
        if (declaration === null) this.fail('typedef of void', t);
        def = { kind: 'typedef', name: declaration.name, declaration, line: t.line };
        break;
      }
      case 'enum':
        def = { kind: 'enum', name: this.identifier('enum name'), members: [], line: t.line };
        def.members = this.parseEnumBody();
        break;
      case 'struct': {
        const name = this.identifier('struct name');
        def = { kind: 'struct', name, fields: this.parseStructBody(), line: t.line };
        break;
      }
      case 'union':
        def = this.parseUnion(t.line);
        break;
      case 'program':
        return this.fail(
          'rpcgen program definitions are not supported (libvirt does not use them)',
          t,
        );
      default:
        return this.fail(`unknown definition '${t.text}'`, t);
    }
    this.expectPunct(';');
    return def;
  }

  private parseEnumBody(): EnumMember[] {
    this.expectPunct('{');
    const members: EnumMember[] = [];
    this.pendingComments = [];
    for (;;) {
      const nameToken = this.peek();
      const comments = this.pendingComments;
      this.pendingComments = [];
      const name = this.identifier('enum member');
      this.expectPunct('=');
      const value = this.value();
      members.push({
        name,
        value,
        annotations: parseAnnotations(comments),
        line: nameToken?.line ?? 0,
      });
      if (this.isPunct(',')) {
        this.next();
        this.pendingComments = [];
        continue;
      }
      break;
    }
    this.expectPunct('}');
    return members;
  }

  private parseStructBody(): Declaration[] {
    this.expectPunct('{');
    const fields: Declaration[] = [];
    while (!this.isPunct('}')) {
      const d = this.parseDeclaration();
      if (d === null) this.fail('void field in struct');
      fields.push(d);
      this.expectPunct(';');
    }
    this.expectPunct('}');
    if (fields.length === 0) this.fail('empty struct');
    return fields;
  }

  private parseUnion(line: number): Definition {
    const name = this.identifier('union name');
    this.expectWord('switch');
    this.expectPunct('(');
    const discType = this.parseTypeSpec();
    const discName = this.identifier('discriminant name');
    this.expectPunct(')');
    this.expectPunct('{');
    const arms: UnionArm[] = [];
    let defaultArm: UnionArm | null = null;
    while (!this.isPunct('}')) {
      if (this.isWord('default')) {
        this.next();
        this.expectPunct(':');
        defaultArm = { cases: [], declaration: this.parseDeclaration() };
        this.expectPunct(';');
        continue;
      }
      const cases: ValueRef[] = [];
      while (this.isWord('case')) {
        this.next();
        cases.push(this.value());
        this.expectPunct(':');
      }
      if (cases.length === 0) this.fail("expected 'case' or 'default'");
      arms.push({ cases, declaration: this.parseDeclaration() });
      this.expectPunct(';');
    }
    this.expectPunct('}');
    return {
      kind: 'union',
      name,
      discriminant: { name: discName, type: discType },
      arms,
      defaultArm,
      line,
    };
  }

  private parseTypeSpec(): TypeSpec {
    const t = this.next();
    if (t.kind !== 'ident') this.fail(`expected a type, got '${t.text}'`, t);
    const prim = (name: PrimitiveName): TypeSpec => ({ kind: 'primitive', name });
    switch (t.text) {
      case 'unsigned': {
        // `unsigned` alone means `unsigned int` (virnetprotocol.x uses it).
        const u = this.peek();
        if (u?.kind === 'ident' && ['int', 'hyper', 'char', 'short', 'long'].includes(u.text)) {
          this.next();
          if (u.text === 'int' || u.text === 'long') return prim('uint');
          if (u.text === 'hyper') return prim('uhyper');
          return prim(u.text === 'char' ? 'uchar' : 'ushort');
        }
        return prim('uint');
      }
      case 'int':
      case 'long':
        return prim('int');
      case 'hyper':
      case 'char':
      case 'short':
      case 'bool':
      case 'float':
      case 'double':
      case 'opaque':
      case 'string':
        return prim(t.text);
      case 'quadruple':
        return this.fail('quadruple is not supported', t);
      case 'struct':
      case 'enum':
      case 'union': {
        if (this.isPunct('{')) this.fail(`inline ${t.text} bodies are not supported`, t);
        return { kind: 'ref', name: this.identifier(`${t.text} name`) };
      }
      default:
        return { kind: 'ref', name: t.text };
    }
  }

  /** A declaration, or null for `void`. */
  private parseDeclaration(): Declaration | null {
    if (this.isWord('void')) {
      this.next();
      return null;
    }
    const type = this.parseTypeSpec();
    if (this.isPunct('*')) {
      this.next();
      const name = this.identifier('field name');
      if (type.kind === 'primitive' && (type.name === 'opaque' || type.name === 'string')) {
        this.fail(`optional ${type.name} is not valid XDR`);
      }
      return { shape: 'optional', name, type };
    }
    const name = this.identifier('field name');
    if (this.isPunct('[')) {
      this.next();
      const size = this.value();
      this.expectPunct(']');
      if (type.kind === 'primitive' && type.name === 'string')
        this.fail('string needs <N>, not [N]');
      return { shape: 'fixed', name, type, size };
    }
    if (this.isPunct('<')) {
      this.next();
      let size: ValueRef | undefined;
      if (!this.isPunct('>')) size = this.value();
      this.expectPunct('>');
      return { shape: 'variable', name, type, size };
    }
    if (type.kind === 'primitive' && (type.name === 'opaque' || type.name === 'string')) {
      this.fail(`${type.name} '${name}' needs a length`);
    }
    return { shape: 'scalar', name, type };
  }
}
