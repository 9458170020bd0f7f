/**
 * libvirt's scaled integers (`<memory unit='GiB'>`, `<capacity unit='G'>`): `b`/`bytes`,
 * binary `k`/`KiB` … `e`/`EiB` and decimal `KB` … `EB`, letters in any case.
 */
const PREFIXES = 'kmgtpe';

/** Bytes per unit, or undefined for a unit libvirt does not know. */
export function unitFactor(unit: string): number | undefined {
  const u = unit.trim().toLowerCase();
  if (u === 'b' || u === 'bytes') return 1;
  const match = /^([kmgtpe])(ib|b)?$/.exec(u);
  if (!match?.[1]) return undefined;
  const power = PREFIXES.indexOf(match[1]) + 1;
  return (match[2] === 'b' ? 1000 : 1024) ** power;
}

/**
 * A scaled value in bytes (the default unit applies when `unit` is missing). Undefined when
 * the value is not a non-negative integer, the unit is unknown, or the result is not exact in
 * a JavaScript number.
 */
export function scaledToBytes(
  value: string | undefined,
  unit: string | undefined,
  defaultUnit = 'b',
): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const factor = unitFactor(unit ?? defaultUnit);
  if (factor === undefined) return undefined;
  const bytes = Number(value) * factor;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A scaled value in KiB, rounded up as libvirt does. Default unit KiB (libvirt's for memory). */
export function scaledToKiB(
  value: string | undefined,
  unit: string | undefined,
  defaultUnit = 'KiB',
): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const factor = unitFactor(unit ?? defaultUnit);
  if (factor === undefined) return undefined;
  const kib =
    factor % 1024 === 0
      ? Number(value) * (factor / 1024)
      : Math.ceil((Number(value) * factor) / 1024);
  return Number.isSafeInteger(kib) ? kib : undefined;
}
