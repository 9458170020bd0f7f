export interface PathResult {
  name: string;
  /** Bulk bytes per second towards the display (QEMU reads as fast as it can), median. */
  throughput: number;
  /** Full-frame bytes per second from the display (paced by QEMU's refresh timer), median. */
  frameRate: number;
  /** Round trip of a 12-byte message and its 16-byte answer, median (ms). */
  rttMs: number;
  /** Which row it is compared with, and whether the targets apply. */
  baseline: string | null;
  targets: boolean;
}

/** Targets of issue 7 for the local bridge. */
export const MIN_THROUGHPUT_RATIO = 0.95;
export const MAX_ADDED_LATENCY_MS = 1;

function mb(bytesPerSecond: number): string {
  return (bytesPerSecond / 1e6).toFixed(1);
}

/** The side-by-side table, with PASS/MISS for the rows the targets apply to. */
export function formatConsoleReport(rows: readonly PathResult[], header: string[]): string {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const table: string[][] = [
    ['path', 'bulk MB/s', 'vs direct', 'frames MB/s', 'RTT ms', 'added ms', 'verdict'],
  ];
  for (const row of rows) {
    const base = row.baseline ? byName.get(row.baseline) : undefined;
    const ratio = base ? row.throughput / base.throughput : null;
    const added = base ? row.rttMs - base.rttMs : null;
    let verdict = '';
    if (row.targets && ratio !== null && added !== null) {
      verdict = [
        `${ratio >= MIN_THROUGHPUT_RATIO ? 'PASS' : 'MISS'} throughput`,
        `${added <= MAX_ADDED_LATENCY_MS ? 'PASS' : 'MISS'} latency`,
      ].join(', ');
    } else if (base) {
      verdict = '(no target)';
    }
    table.push([
      row.name,
      mb(row.throughput),
      ratio === null ? '—' : `${(ratio * 100).toFixed(1)} %`,
      mb(row.frameRate),
      row.rttMs.toFixed(3),
      added === null ? '—' : `${added >= 0 ? '+' : ''}${added.toFixed(3)}`,
      verdict,
    ]);
  }
  const widths = (table[0] as string[]).map((_, i) =>
    Math.max(...table.map((r) => (r[i] ?? '').length)),
  );
  const lines = [...header, ''];
  for (const [i, r] of table.entries()) {
    lines.push(
      r
        .map((cell, j) =>
          j === 0 || j === r.length - 1
            ? cell.padEnd(widths[j] as number)
            : cell.padStart(widths[j] as number),
        )
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  return `${lines.join('\n')}\n`;
}
