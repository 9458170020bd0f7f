import { displayWidth, escapeCell } from './display-width';

export interface TableOptions {
  /** Print the header row and the dashed line under it (virsh --quiet leaves them out). */
  header?: boolean;
}

/**
 * A table laid out the way virsh lays out `list`, `net-list`, `pool-list` and `vol-list`:
 * every cell starts after one space, columns are two spaces apart at their widest cell, the
 * last column is not padded, and the dashed line is as long as the widths plus three per
 * column. Column widths include the header only when the header is shown.
 */
export function formatTable(
  columns: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  options: TableOptions = {},
): string {
  const header = options.header ?? true;
  for (const row of rows) {
    if (row.length !== columns.length) {
      throw new RangeError(`table row has ${row.length} cells, the header ${columns.length}`);
    }
  }
  const escapedHeader = columns.map(escapeCell);
  const body = rows.map((row) => row.map(escapeCell));
  const measured = header ? [escapedHeader, ...body] : body;
  const widths = columns.map((_, i) =>
    Math.max(0, ...measured.map((row) => displayWidth(row[i] ?? ''))),
  );

  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => {
        const last = i === cells.length - 1;
        const pad = last ? 0 : (widths[i] ?? 0) - displayWidth(cell) + 2;
        return ` ${cell}${' '.repeat(pad)}`;
      })
      .join('') + '\n';

  let out = '';
  if (header) {
    out += line(escapedHeader);
    out += '-'.repeat(widths.reduce((sum, w) => sum + w + 3, 0)) + '\n';
  }
  for (const row of body) out += line(row);
  return out;
}
