import type { DiskIotuneInput } from '../../../../../shared/contract';

/** The unit the three bytes/s fields are typed in. */
export const iotuneUnits = ['B', 'KiB', 'MiB'] as const;
export type IotuneUnit = (typeof iotuneUnits)[number];
const FACTOR: Readonly<Record<IotuneUnit, number>> = { B: 1, KiB: 1024, MiB: 1024 * 1024 };

export const iotuneFields = [
  'totalBytesSec',
  'readBytesSec',
  'writeBytesSec',
  'totalIopsSec',
  'readIopsSec',
  'writeIopsSec',
] as const;
export type IotuneField = (typeof iotuneFields)[number];

const XML_NAMES: Readonly<Record<IotuneField, string>> = {
  totalBytesSec: 'total_bytes_sec',
  readBytesSec: 'read_bytes_sec',
  writeBytesSec: 'write_bytes_sec',
  totalIopsSec: 'total_iops_sec',
  readIopsSec: 'read_iops_sec',
  writeIopsSec: 'write_iops_sec',
};

const isBytes = (field: IotuneField): boolean => field.endsWith('BytesSec');

/** Each limit as typed ('' = none); bytes fields in `unit`. */
export interface IotuneForm {
  unit: IotuneUnit;
  values: Record<IotuneField, string>;
}

/** The disk's limits, bytes shown in the largest unit that keeps every value whole. */
export function iotuneForm(iotune: Readonly<Record<string, number>>): IotuneForm {
  const bytes = iotuneFields.filter(isBytes).map((f) => iotune[XML_NAMES[f]] ?? 0);
  const unit =
    [...iotuneUnits].reverse().find((u) => bytes.every((b) => b % FACTOR[u] === 0)) ?? 'B';
  const values = {} as Record<IotuneField, string>;
  for (const field of iotuneFields) {
    const value = iotune[XML_NAMES[field]];
    values[field] =
      value === undefined || value === 0
        ? ''
        : String(isBytes(field) ? value / FACTOR[unit] : value);
  }
  return { unit, values };
}

/** A field's value in bytes/s or IOPS: null for none, NaN for what is not a whole number. */
function valueOf(form: IotuneForm, field: IotuneField): number | null {
  const text = form.values[field].trim();
  if (text === '') return null;
  if (!/^\d+$/.test(text)) return Number.NaN;
  const n = Number(text) * (isBytes(field) ? FACTOR[form.unit] : 1);
  return n === 0 ? null : n;
}

/** What the user got wrong (a locale key under ioLimits.problems), or null. */
export function iotuneProblem(form: IotuneForm): { field: IotuneField; key: string } | null {
  for (const field of iotuneFields) {
    const n = valueOf(form, field);
    if (n !== null && (!Number.isSafeInteger(n) || n < 0)) return { field, key: 'wholeNumber' };
  }
  // libvirt's rule, said before the user applies: a total next to read/write of the same kind.
  for (const kind of ['Bytes', 'Iops'] as const) {
    const total = valueOf(form, `total${kind}Sec`);
    const split = valueOf(form, `read${kind}Sec`) ?? valueOf(form, `write${kind}Sec`);
    if (total !== null && split !== null)
      return { field: `total${kind}Sec`, key: kind === 'Bytes' ? 'totalBytes' : 'totalIops' };
  }
  return null;
}

/** The changed limits only (null removes one), or undefined when nothing changed. */
export function iotuneEdit(form: IotuneForm, base: IotuneForm): DiskIotuneInput | undefined {
  const out: DiskIotuneInput = {};
  for (const field of iotuneFields) {
    const now = valueOf(form, field);
    if (now !== valueOf(base, field)) out[field] = now;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
