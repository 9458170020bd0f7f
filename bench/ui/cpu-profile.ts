/**
 * Summarises a V8 CPU profile (CDP `Profiler.stop`) as the functions that spent the most
 * time on their own (self time), so a bench run says where the page's main thread went.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url ? (url.split('/').pop() ?? url).split('?')[0] : '';
  const fn = functionName || '(anonymous)';
  return file ? `${fn} ${file}:${lineNumber + 1}` : fn;
}

/** The `top` functions by self time (idle and program time left out), in ms. */
export function topSelfTimes(profile: CpuProfile, top = 15): SelfTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] ?? -1);
    // A sample's time is the gap to the next one.
    const us = deltas[i + 1] ?? 0;
    if (!node) continue;
    const name = frameName(node);
    if (name === '(idle)' || name === '(program)') continue;
    totals.set(name, (totals.get(name) ?? 0) + us / 1000);
  }
  return [...totals.entries()]
    .map(([name, ms]) => ({ name, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

/** Busy time (everything but idle) over the profile's wall time, in ms. */
export function busyMs(profile: CpuProfile): { busy: number; wall: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let busy = 0;
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] ?? -1);
    if (node && frameName(node) !== '(idle)') busy += (deltas[i + 1] ?? 0) / 1000;
  }
  return { busy, wall: (profile.endTime - profile.startTime) / 1000 };
}
