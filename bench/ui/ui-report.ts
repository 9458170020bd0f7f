import type { ProfileSummary } from './phase-profiler';
import type { TracePhase } from './phase-tracer';

export interface UiBenchNumbers {
  domains: number;
  /** Navigation start → every VM known to the list. */
  pageLoadToRowsMs: number;
  /** Click on Connect → every VM known to the list. */
  connectToRowsMs: number;
  measureSeconds: number;
  frames: number;
  p95FrameMs: number;
  maxFrameMs: number;
  framesOver50Ms: number;
  longTasks: number;
  longestTaskMs: number;
  statsTicks: number;
  rowsInDom: number;
  rendererHeapMiB: number;
  mainRssMiB: number;
  mainPeakRssMiB: number;
  /** 1-minute load average when the measurements began, and when they ended. */
  loadAverageAtStart: number;
  loadAverage: number;
  cpus: number;
  /** Milestones of the measured page load, ms since navigation start. */
  loadBreakdown: Array<[string, number]>;
  /** Only with --profile. */
  profiles: ProfileSummary[];
  /** Only with --trace. */
  traces: TracePhase[];
}

export interface UiTarget {
  name: string;
  value: string;
  target: string;
  pass: boolean;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const mib = (v: number) => `${v.toFixed(1)} MiB`;

/** The issue's targets: rows ≤ 1 s after connect, no frame over 50 ms, main ≤ 200 MB RSS. */
export function uiTargets(n: UiBenchNumbers): UiTarget[] {
  return [
    {
      name: 'all rows known after connect',
      value: ms(n.connectToRowsMs),
      target: '≤ 1000 ms',
      pass: n.connectToRowsMs <= 1000,
    },
    {
      name: 'all rows known after page load',
      value: ms(n.pageLoadToRowsMs),
      target: '≤ 1000 ms',
      pass: n.pageLoadToRowsMs <= 1000,
    },
    { name: 'longest frame', value: ms(n.maxFrameMs), target: '≤ 50 ms', pass: n.maxFrameMs <= 50 },
    {
      name: 'longest main-thread task',
      value: n.longTasks === 0 ? 'none ≥ 50 ms' : ms(n.longestTaskMs),
      target: '≤ 50 ms',
      pass: n.longestTaskMs <= 50,
    },
    {
      name: 'main process RSS (peak)',
      value: mib(n.mainPeakRssMiB),
      target: '≤ 200 MB',
      pass: n.mainPeakRssMiB * 1024 * 1024 <= 200e6,
    },
  ];
}

export function formatUiReport(n: UiBenchNumbers): string {
  const lines = [
    `bench:ui — ${n.domains} running test-driver domains, web host + Chromium`,
    `machine: ${n.cpus} CPUs, load average ${n.loadAverageAtStart.toFixed(2)} at start, ${n.loadAverage.toFixed(2)} at end (a busy machine shows in frame times)`,
    '',
    `page load → all rows known     ${ms(n.pageLoadToRowsMs)}`,
    ...n.loadBreakdown.map(([what, at]) => `  ${ms(at).padStart(10)}  ${what}`),
    `Connect click → all rows known ${ms(n.connectToRowsMs)}`,
    `${n.measureSeconds} s of 1 Hz stats while scrolling: ${n.statsTicks} stats:tick messages, ${n.frames} frames, ${n.rowsInDom} rows in the DOM`,
    `  frame time p95 ${ms(n.p95FrameMs)}, max ${ms(n.maxFrameMs)}, ${n.framesOver50Ms} frame(s) over 50 ms`,
    `  long tasks: ${n.longTasks}, longest ${n.longTasks === 0 ? '—' : ms(n.longestTaskMs)}`,
    `renderer JS heap (after GC)    ${mib(n.rendererHeapMiB)}`,
    `main process RSS now / peak    ${mib(n.mainRssMiB)} / ${mib(n.mainPeakRssMiB)}`,
    '',
    'targets:',
    ...uiTargets(n).map(
      (t) =>
        `  ${t.pass ? 'PASS' : 'MISS'}  ${t.name.padEnd(30)} ${t.value.padStart(14)}  (${t.target})`,
    ),
    ...n.profiles.flatMap((p) => [
      '',
      `CPU profile, ${p.phase}: ${ms(p.busyMs)} busy of ${ms(p.wallMs)} (${p.file})`,
      ...p.top.map((f) => `  ${ms(f.ms).padStart(10)}  ${f.name}`),
    ]),
    ...n.traces.flatMap((tr) => [
      '',
      `trace, ${tr.phase} (${tr.file}): main thread busy ${ms(tr.cpuMs)} CPU over ${ms(tr.wallMs)}; self time (wall) by event:`,
      ...tr.byEvent.map((e) => `  ${ms(e.ms).padStart(10)}  ${e.name}`),
      `  long tasks (largest parts):`,
      ...tr.longTasks.map(
        (task) =>
          `  ${ms(task.ms).padStart(10)}  ${task.parts.map((p) => `${p.name} ${p.ms.toFixed(0)}`).join(', ')}`,
      ),
    ]),
  ];
  return lines.join('\n');
}
