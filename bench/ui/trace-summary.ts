/**
 * Summarises a Chromium performance trace (Playwright's `browser.startTracing`) for the
 * page's main thread: where the time went by event (self time: script, style, layout,
 * paint, …), and what the long tasks were made of.
 */

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, µs: unlike `dur`, it does not grow while the thread waits for a core. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; functionName?: string } };
}

export interface TraceSummary {
  /** Wall time from the first to the last main-thread task, ms. */
  wallMs: number;
  /** CPU time the main thread spent in tasks, ms: comparable across machine loads. */
  cpuMs: number;
  /** Main-thread time by event name (self time), ms, largest first. */
  byEvent: Array<{ name: string; ms: number }>;
  /** Tasks of 50 ms or more: duration and their largest parts (self time). */
  longTasks: Array<{ ms: number; parts: Array<{ name: string; ms: number }> }>;
}

function mainThread(events: readonly TraceEvent[]): { pid: number; tid: number } | null {
  // The page's renderer main thread that ran the most tasks (a reload may start a new one).
  const threads = events.filter((e) => e.ph === 'M' && e.args?.name === 'CrRendererMain');
  let best: { pid: number; tid: number } | null = null;
  let bestCount = -1;
  for (const t of threads) {
    const count = events.filter((e) => e.pid === t.pid && e.tid === t.tid && e.ph === 'X').length;
    if (count > bestCount) [best, bestCount] = [{ pid: t.pid, tid: t.tid }, count];
  }
  return best;
}

export function summariseTrace(traceEvents: readonly TraceEvent[], longMs = 50): TraceSummary {
  const main = mainThread(traceEvents);
  if (!main) return { wallMs: 0, cpuMs: 0, byEvent: [], longTasks: [] };
  const spans = traceEvents
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const longTasks: TraceSummary['longTasks'] = [];
  const stack: Array<{ e: TraceEvent; end: number; childUs: number }> = [];
  let task: { ms: number; parts: Map<string, number> } | null = null;
  const close = (upTo: number) => {
    while (stack.length > 0 && (stack[stack.length - 1]?.end ?? 0) <= upTo) {
      const top = stack.pop();
      if (!top) break;
      const ownUs = (top.e.dur ?? 0) - top.childUs;
      const name = labelOf(top.e);
      self.set(name, (self.get(name) ?? 0) + ownUs / 1000);
      if (task) task.parts.set(name, (task.parts.get(name) ?? 0) + ownUs / 1000);
      if (stack.length === 0 && task) {
        longTasks.push({
          ms: task.ms,
          parts: [...task.parts]
            .map(([n, ms]) => ({ name: n, ms }))
            .sort((a, b) => b.ms - a.ms)
            .slice(0, 5),
        });
        task = null;
      }
    }
  };
  for (const e of spans) {
    close(e.ts);
    const parent = stack[stack.length - 1];
    if (parent) parent.childUs += e.dur ?? 0;
    else if ((e.dur ?? 0) / 1000 >= longMs) task = { ms: (e.dur ?? 0) / 1000, parts: new Map() };
    stack.push({ e, end: e.ts + (e.dur ?? 0), childUs: 0 });
  }
  close(Number.POSITIVE_INFINITY);
  let cpuUs = 0;
  let coveredUntil = Number.NEGATIVE_INFINITY;
  for (const e of spans) {
    // Top-level spans only (nested ones are inside their parent's thread time).
    if (e.ts >= coveredUntil) {
      cpuUs += e.tdur ?? 0;
      coveredUntil = e.ts + (e.dur ?? 0);
    }
  }
  const first = spans[0];
  const last = spans.reduce((end, e) => Math.max(end, e.ts + (e.dur ?? 0)), first?.ts ?? 0);
  return {
    wallMs: first ? (last - first.ts) / 1000 : 0,
    cpuMs: cpuUs / 1000,
    byEvent: [...self]
      .map(([name, ms]) => ({ name, ms }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15),
    longTasks: longTasks.sort((a, b) => b.ms - a.ms).slice(0, 8),
  };
}

function labelOf(e: TraceEvent): string {
  const fn = e.args?.data?.functionName;
  return fn ? `${e.name} ${fn}` : e.name;
}
