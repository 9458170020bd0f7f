/**
 * Syntax tree of one rpcgen `.x` file, as the parser produces it. Identifiers are kept
 * unresolved here; model.ts resolves them across files.
 */

/** A number literal, or the name of a constant defined elsewhere. */
export type ValueRef =
  { kind: 'number'; value: number; text: string } | { kind: 'name'; name: string };

export type PrimitiveName =
  | 'int'
  | 'uint'
  | 'hyper'
  | 'uhyper'
  | 'char'
  | 'uchar'
  | 'short'
  | 'ushort'
  | 'bool'
  | 'float'
  | 'double'
  | 'opaque'
  | 'string';

export type TypeSpec = { kind: 'primitive'; name: PrimitiveName } | { kind: 'ref'; name: string };

/**
 * One declaration (struct field, typedef target, union arm). `size` is undefined for an
 * unbounded variable array `<>`.
 */
export type Declaration =
  | { shape: 'scalar'; name: string; type: TypeSpec }
  | { shape: 'optional'; name: string; type: TypeSpec }
  | { shape: 'fixed'; name: string; type: TypeSpec; size: ValueRef }
  | { shape: 'variable'; name: string; type: TypeSpec; size: ValueRef | undefined };

/** `@key: value` lines from the comment right before an enum member (keys may repeat). */
export type Annotations = ReadonlyMap<string, readonly string[]>;

export interface EnumMember {
  name: string;
  value: ValueRef;
  annotations: Annotations;
  line: number;
}

export interface UnionArm {
  /** Case labels; several labels may share one arm. */
  cases: ValueRef[];
  /** null for a `void` arm. */
  declaration: Declaration | null;
}

export type Definition =
  | { kind: 'const'; name: string; value: ValueRef; line: number }
  | { kind: 'typedef'; name: string; declaration: Declaration; line: number }
  | { kind: 'enum'; name: string; members: EnumMember[]; line: number }
  | { kind: 'struct'; name: string; fields: Declaration[]; line: number }
  | {
      kind: 'union';
      name: string;
      discriminant: { name: string; type: TypeSpec };
      arms: UnionArm[];
      defaultArm: UnionArm | null;
      line: number;
    };

export interface ProtocolFile {
  fileName: string;
  definitions: Definition[];
}
