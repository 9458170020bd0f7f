const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/**
 * A byte count in binary units, e.g. 16 GiB of host memory as "16 GiB" and 1.5 GiB as
 * "1.5 GiB". Takes a bigint because libvirt reports 64-bit sizes that a number cannot hold
 * exactly; one decimal is kept below 100 units, none above.
 */
export function formatBinarySize(bytes: bigint, locale = 'en'): string {
  if (bytes < 0n) return `-${formatBinarySize(-bytes, locale)}`;
  let unit = 0;
  let whole = bytes;
  while (whole >= 1024n && unit < UNITS.length - 1) {
    whole /= 1024n;
    unit++;
  }
  const divisor = 1024n ** BigInt(unit);
  // Tenths, rounded, computed in bigint so exabytes keep their precision.
  const tenths = (bytes * 10n + divisor / 2n) / divisor;
  const value = Number(tenths) / 10;
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const text = new Intl.NumberFormat(locale, {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(value);
  return `${text} ${UNITS[unit]}`;
}

/** libvirt's KiB counts arrive as decimal strings (64-bit); anything else is not a size. */
export function kibToBytes(kib: string): bigint | null {
  return /^\d{1,20}$/.test(kib) ? BigInt(kib) * 1024n : null;
}
