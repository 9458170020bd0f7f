import type { Client, Scenario } from './contender';
import type { ContenderSamples } from './round-robin-runner';
import { median, summarize, type SampleSummary } from './sample-stats';

export interface BenchEnvironment {
  node: string;
  /** The daemon's libvirt version as our client read it (CONNECT_GET_LIB_VERSION). */
  daemonLibVersion: number;
  libvirtPythonVersion: number;
  pythonVersion: string;
  socket: string;
  uri: string;
  daemonPid: number;
  domains: number;
  warmup: number;
  repeats: number;
  statsRepeats: number;
  cpus: number;
  /** 1-minute load average when the measurements ended: other work on the machine. */
  loadAverage: number;
}

export interface ScenarioRow {
  scenario: Scenario;
  client: Client;
  variant: string;
  summary: SampleSummary;
  /** Median CPU per run of the client process (all its threads). */
  clientCpuMs: number;
  /** Mean CPU per run of libvirtd (all threads): /proc ticks are 10 ms, too coarse for a median. */
  daemonCpuMs: number;
}

export interface TargetResult {
  scenario: Scenario;
  description: string;
  ours: string;
  theirs: string;
  /** Our rate ÷ libvirt-python's rate, from the medians (> 1 = VirtDeck is faster). */
  ratio: number;
  /** The same from each side's fastest run: less disturbed by other load on the machine. */
  bestRunRatio: number;
  required: number;
  pass: boolean;
  /** For a miss the daemon alone makes impossible here: why, in numbers. */
  note?: string;
}

export interface BenchReport {
  environment: BenchEnvironment;
  rows: ScenarioRow[];
  targets: TargetResult[];
  /** Typed parameters in one bulk stats answer, as each client decoded it. */
  statsParams: { virtdeck: number; libvirtPython: number };
}

export function formatLibvirtVersion(v: number): string {
  return `${Math.floor(v / 1_000_000)}.${Math.floor(v / 1000) % 1000}.${v % 1000}`;
}

export function toRow(result: ContenderSamples, domains: number): ScenarioRow {
  const { contender, samples, daemonCpuSeconds } = result;
  return {
    scenario: contender.scenario,
    client: contender.client,
    variant: contender.variant,
    summary: summarize(
      samples.map((s) => s.seconds),
      contender.scenario === 'c' ? 1 : domains,
    ),
    clientCpuMs: median(samples.map((s) => s.clientCpuSeconds)) * 1000,
    daemonCpuMs: (daemonCpuSeconds.reduce((a, b) => a + b, 0) / daemonCpuSeconds.length) * 1000,
  };
}

function fastest(rows: readonly ScenarioRow[], scenario: Scenario, client: Client): ScenarioRow {
  const candidates = rows.filter((r) => r.scenario === scenario && r.client === client);
  const top = candidates.reduce<ScenarioRow | undefined>(
    (acc, r) => (acc === undefined || r.summary.perSecond > acc.summary.perSecond ? r : acc),
    undefined,
  );
  if (!top) throw new Error(`no ${client} result for (${scenario})`);
  return top;
}

/**
 * A run cannot take less wall time than the CPU work it needs spread over every CPU: the
 * daemon's (cheapest variant seen) plus our client's. When that floor is above what the
 * target needs, no change to the client alone can meet it here, and the note says so.
 */
function cpuFloorNote(
  rows: readonly ScenarioRow[],
  ours: ScenarioRow,
  theirs: ScenarioRow,
  required: number,
  cpus: number,
): string | undefined {
  const scenarioRows = rows.filter((r) => r.scenario === theirs.scenario);
  const cheapestDaemon = Math.min(...scenarioRows.map((r) => r.daemonCpuMs));
  const floorMs = (cheapestDaemon + ours.clientCpuMs) / cpus;
  const neededMs = (theirs.summary.medianSeconds * 1000) / required;
  if (!(floorMs > neededMs)) return undefined;
  return (
    `out of reach on this machine: ${required}× needs ≤ ${neededMs.toFixed(0)} ms per run, but ` +
    `(libvirtd ≥ ${cheapestDaemon.toFixed(0)} ms + VirtDeck ${ours.clientCpuMs.toFixed(0)} ms ` +
    `of CPU per run) / ${cpus} CPUs = ${floorMs.toFixed(0)} ms`
  );
}

function target(
  description: string,
  ours: ScenarioRow,
  theirs: ScenarioRow,
  required: number,
  context: { rows: readonly ScenarioRow[]; cpus: number },
): TargetResult {
  const ratio = ours.summary.perSecond / theirs.summary.perSecond;
  const pass = ratio >= required;
  const note = pass ? undefined : cpuFloorNote(context.rows, ours, theirs, required, context.cpus);
  return {
    scenario: ours.scenario,
    description,
    ours: ours.variant,
    theirs: theirs.variant,
    ratio,
    bestRunRatio: theirs.summary.minSeconds / ours.summary.minSeconds,
    required,
    pass,
    ...(note ? { note } : {}),
  };
}

/**
 * The targets: (a) ≥ 1×, (b) ≥ 2× judged on OUR SINGLE connection (the app's design)
 * against python's fastest thread pool, (c) no slower. Pools are reported, not judged.
 */
export function buildTargets(rows: readonly ScenarioRow[], cpus: number): TargetResult[] {
  const single = rows.find((r) => r.scenario === 'b' && r.client === 'virtdeck');
  if (!single) throw new Error('no virtdeck result for (b)');
  const context = { rows, cpus };
  return [
    target(
      'sequential lookup+getInfo',
      fastest(rows, 'a', 'virtdeck'),
      fastest(rows, 'a', 'libvirt-python'),
      1,
      context,
    ),
    target('concurrent lookup+getInfo', single, fastest(rows, 'b', 'libvirt-python'), 2, context),
    target(
      'bulk stats, no slower',
      fastest(rows, 'c', 'virtdeck'),
      fastest(rows, 'c', 'libvirt-python'),
      1,
      context,
    ),
  ];
}

const SCENARIO_TITLES: Record<Scenario, string> = {
  a: '(a) lookup-by-name + getInfo, sequential',
  b: '(b) lookup-by-name + getInfo, concurrent',
  c: '(c) CONNECT_GET_ALL_DOMAIN_STATS, all domains',
};

function fmt(n: number, digits: number): string {
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

export function formatReport(report: BenchReport): string {
  const e = report.environment;
  const lines = [
    `VirtDeck RPC benchmark — ${e.domains} running test-driver domains, one private libvirtd`,
    `node ${e.node} · libvirtd ${formatLibvirtVersion(e.daemonLibVersion)} (pid ${e.daemonPid}) · ` +
      `libvirt-python ${formatLibvirtVersion(e.libvirtPythonVersion)} (Python ${e.pythonVersion})`,
    `${e.cpus} CPUs, load average ${fmt(e.loadAverage, 2)} at the end`,
    `socket ${e.socket}`,
    `uri    ${e.uri}`,
    `${e.warmup} warm-up round(s), then median of ${e.repeats} rounds for (a)/(b) and ` +
      `${e.statsRepeats} for (c); clients alternate within each round`,
    '',
  ];
  const cells: string[][] = [
    [
      'scenario / variant',
      'client',
      'median ms',
      'min–max ms',
      'calls/s',
      'client CPU ms',
      'libvirtd CPU ms',
    ],
  ];
  for (const scenario of ['a', 'b', 'c'] as const) {
    const unit = scenario === 'c' ? 'bulk calls/s' : 'domains/s (×2 RPCs)';
    cells.push([SCENARIO_TITLES[scenario], unit, '', '', '', '', '']);
    for (const r of report.rows.filter((x) => x.scenario === scenario)) {
      const s = r.summary;
      cells.push([
        `  ${r.variant}`,
        r.client,
        fmt(s.medianSeconds * 1000, 2),
        `${fmt(s.minSeconds * 1000, 1)}–${fmt(s.maxSeconds * 1000, 1)}`,
        fmt(s.perSecond, scenario === 'c' ? 1 : 0),
        fmt(r.clientCpuMs, 1),
        fmt(r.daemonCpuMs, 0),
      ]);
    }
  }
  lines.push(...table(cells), '');
  lines.push(
    'client CPU: median per run; libvirtd CPU: mean per run, from /proc in 10 ms ticks.',
    `(c) typed params per bulk answer: VirtDeck ${report.statsParams.virtdeck}, ` +
      `libvirt-python ${report.statsParams.libvirtPython}`,
    '',
    'targets (ratio = VirtDeck calls/s ÷ libvirt-python calls/s)',
  );
  for (const t of report.targets) {
    lines.push(
      `  ${t.pass ? 'PASS' : 'MISS'}  (${t.scenario}) ${t.description}: ${fmt(t.ratio, 2)}× ` +
        `(target ≥ ${fmt(t.required, 0)}×; fastest runs ${fmt(t.bestRunRatio, 2)}×) — ` +
        `VirtDeck ${t.ours} vs libvirt-python ${t.theirs}`,
    );
    if (t.note) lines.push(`        ${t.note}`);
  }
  return lines.join('\n');
}
