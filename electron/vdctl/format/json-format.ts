/**
 * What `--json` output is built from. `bigint` is allowed in: libvirt's 64-bit counters
 * (hyper, unsigned hyper, typed-param llong/ullong) arrive as bigint and are ALWAYS written
 * as decimal strings, whatever their size, so a field never changes type between runs and
 * no consumer loses precision above 2^53. Everything that libvirt sends as a 32-bit integer
 * or a double is a JSON number.
 */
export type JsonValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** Pretty-printed JSON (2 spaces) plus a final newline; bigints become decimal strings. */
export function formatJson(value: JsonValue): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}

/** One compact JSON document per line (for streams such as `event --json`). */
export function formatJsonLine(value: JsonValue): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`;
}

/**
 * Plain data from the facade (events, typed-param records) → JsonValue. Only what JSON can
 * carry is accepted: a function, symbol or class instance here is a bug, not data to hide.
 */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
      return value;
    case 'object': {
      if (Array.isArray(value)) return value.map(toJsonValue);
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) break;
      const out: Record<string, JsonValue> = {};
      for (const [key, v] of Object.entries(value)) out[key] = toJsonValue(v);
      return out;
    }
    default:
      break;
  }
  throw new TypeError(`cannot write ${Object.prototype.toString.call(value)} as JSON`);
}
