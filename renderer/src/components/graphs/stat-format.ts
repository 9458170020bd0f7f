/** What a missing value shows: never "NaN", never "0" for "unknown". */
export const MISSING = '—';

const formatters = new Map<string, Intl.NumberFormat>();

/** Building an Intl.NumberFormat costs far more than using one: a list formats thousands. */
function numberFormat(locale: string, digits: number, minDigits: number): Intl.NumberFormat {
  const key = `${locale}|${digits}|${minDigits}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      maximumFractionDigits: digits,
      minimumFractionDigits: minDigits,
    });
    formatters.set(key, format);
  }
  return format;
}

function usable(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** "12.3 %", one decimal below 10 and none above ("47 %"). */
export function formatPercent(value: number | null | undefined, locale = 'en'): string {
  if (!usable(value)) return MISSING;
  const digits = Math.abs(value) < 10 ? 1 : 0;
  return `${numberFormat(locale, digits, digits).format(value)} %`;
}

const RATE_UNITS = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s', 'TiB/s'] as const;
const SIZE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

function scaled(value: number, units: readonly string[], locale: string): string {
  let unit = 0;
  let v = Math.abs(value);
  while (v >= 1024 && unit < units.length - 1) {
    v /= 1024;
    unit++;
  }
  const digits = unit === 0 || v >= 100 ? 0 : 1;
  const text = numberFormat(locale, digits, 0).format(value < 0 ? -v : v);
  return `${text} ${units[unit]}`;
}

/** Bytes per second in binary units: "0 B/s", "1.5 MiB/s". */
export function formatRate(bytesPerSecond: number | null | undefined, locale = 'en'): string {
  return usable(bytesPerSecond) ? scaled(bytesPerSecond, RATE_UNITS, locale) : MISSING;
}

/** A size given in KiB, as libvirt reports memory: "512 MiB", "1.5 GiB". */
export function formatKiB(kib: number | null | undefined, locale = 'en'): string {
  return usable(kib) ? scaled(kib * 1024, SIZE_UNITS, locale) : MISSING;
}

/** The sum of two rates (read + write), or missing when both are. */
export function sumRates(
  a: number | null | undefined,
  b: number | null | undefined,
): number | null {
  if (!usable(a) && !usable(b)) return null;
  return (usable(a) ? a : 0) + (usable(b) ? b : 0);
}
