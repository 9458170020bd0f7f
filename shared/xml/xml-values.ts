import { XmlEditError } from './xml-edit-error';

/** Throws unless `value` is an integer in [min, max]. */
export function assertInteger(
  value: number,
  what: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new XmlEditError(`${what} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

/** Reads an attribute or text as an integer; undefined when absent or not a plain integer. */
export function parseInteger(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*-?\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** libvirt's yes/no (and on/off) attributes as booleans; undefined when absent or other. */
export function parseYesNo(value: string | undefined): boolean | undefined {
  if (value === 'yes' || value === 'on') return true;
  if (value === 'no' || value === 'off') return false;
  return undefined;
}
