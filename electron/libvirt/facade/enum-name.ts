/** `FROM_SNAPSHOT` → `from-snapshot`, at the type level. */
type Kebab<S extends string> = S extends `${infer A}_${infer B}`
  ? `${Lowercase<A>}-${Kebab<B>}`
  : Lowercase<S>;

/**
 * The symbolic names of a generated enum table below `prefix`, kebab-case. The `…_LAST`
 * sentinel is left out where its name is plain `LAST`; sentinels like `STATE_LAST` stay in
 * the type, and the functions below reject them at run time.
 */
export type EnumName<T, P extends string> = {
  [K in keyof T & string]: K extends `${P}${infer S}`
    ? S extends 'LAST'
      ? never
      : Kebab<S>
    : never;
}[keyof T & string];

type Table = Readonly<Record<string, number>>;

/**
 * libvirt ends counting enums with a `…LAST` entry one past the largest value. A real
 * entry can end in LAST too (VIR_NETWORK_UPDATE_COMMAND_ADD_LAST), so only the largest
 * value counts as the sentinel.
 */
function isSentinel(table: Table, key: string): boolean {
  if (!key.endsWith('LAST')) return false;
  const value = table[key] as number;
  return Object.entries(table).every(([k, v]) => k === key || v < value);
}

/**
 * Reverse lookup in a generated enum table (constants.gen.ts): the kebab-case name below
 * `prefix`, e.g. `enumName(virDomainEventType, 'VIR_DOMAIN_EVENT_', 2)` → 'started'. A value
 * newer than our tables gives 'unknown', so a newer daemon never breaks decoding.
 */
export function enumName<T extends Table, P extends string>(
  table: T,
  prefix: P,
  value: number,
): EnumName<T, P> | 'unknown' {
  for (const [key, v] of Object.entries(table)) {
    if (v !== value || !key.startsWith(prefix) || isSentinel(table, key)) continue;
    return key.slice(prefix.length).toLowerCase().replaceAll('_', '-') as EnumName<T, P>;
  }
  return 'unknown';
}

/**
 * The value of one symbolic name (the inverse of enumName). Throws a TypeError for a name the
 * table does not have, so bad input never turns into flag 0.
 */
export function enumValue<T extends Table, P extends string>(
  table: T,
  prefix: P,
  name: EnumName<T, P>,
): number {
  const key = typeof name === 'string' ? `${prefix}${name.toUpperCase().replaceAll('-', '_')}` : '';
  const value = table[key];
  if (value === undefined || !/^[a-z0-9-]+$/.test(name) || isSentinel(table, key)) {
    throw new TypeError(`unknown ${prefix}* name: ${JSON.stringify(name)}`);
  }
  return value;
}

/** OR of several names' bits, as an unsigned 32-bit number (1 << 31 stays positive). */
export function enumFlags<T extends Table, P extends string>(
  table: T,
  prefix: P,
  names: readonly EnumName<T, P>[],
): number {
  return names.reduce((acc, name) => (acc | enumValue(table, prefix, name)) >>> 0, 0);
}
