export interface PathResult {
  name: string;
  /** Bytes per second, median over rounds. */
  throughput: number;
  /** Round-trip time of a 10-byte request and its 20-byte answer, median (ms). */
  rttMs: number;
  /** Which row it is compared with, and whether the targets apply. */
  baseline: string | null;
  targets: boolean;
}

/** Targets of issue 7 for the local bridge. */
export const MIN_THROUGHPUT_RATIO = 0.95;
export const MAX_ADDED_LATENCY_MS = 1;

export function formatConsoleReport(rows: readonly PathResult[], header: string[]): string {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const lines = [...header, ''];
  const table: string[][] = [['path', 'MB/s', 'vs direct', 'RTT ms', 'added ms', 'verdict']];
  for (const row of rows) {
    const base = row.baseline ? byName.get(row.baseline) : undefined;
    const ratio = base ? row.throughput / base.throughput : null;
    const added = base ? row.rttMs - base.rttMs : null;
    let verdict = '';
    if (row.targets && ratio !== null && added !== null) {
      const okRatio = ratio >= MIN_THROUGHPUT_RATIO;
      const okLatency = added <= MAX_ADDED_LATENCY_MS;
      verdict = [
        `${okRatio ? 'PASS' : 'MISS'} throughput ≥ ${MIN_THROUGHPUT_RATIO * 100} %`,
        `${okLatency ? 'PASS' : 'MISS'} latency ≤ +${MAX_ADDED_LATENCY_MS} ms`,
      ].join(', ');
    } else if (base) {
      verdict = '(no target)';
    }
    table.push([
      row.name,
      (row.throughput / 1e6).toFixed(1),
      ratio === null ? '—' : `${(ratio * 100).toFixed(1)} %`,
      row.rttMs.toFixed(3),
      added === null ? '—' : `${added >= 0 ? '+' : ''}${added.toFixed(3)}`,
      verdict,
    ]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  for (const [i, r] of table.entries()) {
    lines.push(
      r
        .map((cell, j) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!)))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  return `${lines.join('\n')}\n`;
}
