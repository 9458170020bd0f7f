export interface ExportColumn {
  /** Header text, with the unit, e.g. "CPU (host) [%]". */
  label: string;
  values: readonly (number | null)[];
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The visible series as CSV: one row per sample, time in ISO 8601 UTC first, an empty
 * field for a missing value (never "NaN" or 0). CRLF line ends, as RFC 4180 has them.
 */
export function seriesToCsv(t: readonly number[], columns: readonly ExportColumn[]): string {
  const lines = [['time', ...columns.map((c) => c.label)].map(csvField).join(',')];
  t.forEach((time, i) => {
    const fields = columns.map((c) => {
      const value = c.values[i];
      return value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);
    });
    lines.push([new Date(time).toISOString(), ...fields].join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name from parts: letters, digits, '.', '_' and '-' only. */
export function exportFileName(
  parts: readonly string[],
  extension: string,
  now = new Date(),
): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  const base = [...parts, stamp]
    .map((part) => part.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter(Boolean)
    .join('_');
  return `${base}.${extension}`;
}
