import { describe, expect, it } from 'vitest';
import { busyMs, topSelfTimes, type CpuProfile } from '../../../bench/ui/cpu-profile';
import { summariseTrace } from '../../../bench/ui/trace-summary';

const MAIN = { pid: 7, tid: 1 };

function span(name: string, ts: number, dur: number, tdur = dur, where = MAIN) {
  return { name, ph: 'X', ts, dur, tdur, ...where };
}

describe('bench:ui trace summary', () => {
  const events = [
    { name: 'thread_name', ph: 'M', ts: 0, ...MAIN, args: { name: 'CrRendererMain' } },
    { name: 'thread_name', ph: 'M', ts: 0, pid: 9, tid: 2, args: { name: 'Compositor' } },
    // A 120 ms task (60 ms of CPU): 30 ms of its own, a 90 ms function call with 40 ms of style.
    span('RunTask', 0, 120_000, 60_000),
    span('FunctionCall', 10_000, 90_000),
    span('UpdateLayoutTree', 20_000, 40_000),
    // A short task after it, and one on another thread that must not count.
    span('RunTask', 200_000, 10_000, 5_000),
    span('Paint', 201_000, 8_000),
    span('RunTask', 0, 500_000, 500_000, { pid: 9, tid: 2 }),
  ];

  it('splits main-thread time by event (self time) and sums CPU time of tasks', () => {
    const summary = summariseTrace(events);
    expect(summary.cpuMs).toBe(65);
    expect(summary.wallMs).toBe(210);
    expect(summary.byEvent).toEqual([
      { name: 'FunctionCall', ms: 50 },
      { name: 'UpdateLayoutTree', ms: 40 },
      { name: 'RunTask', ms: 32 },
      { name: 'Paint', ms: 8 },
    ]);
  });

  it('lists long tasks with their largest parts', () => {
    const { longTasks } = summariseTrace(events);
    expect(longTasks).toEqual([
      {
        ms: 120,
        parts: [
          { name: 'FunctionCall', ms: 50 },
          { name: 'UpdateLayoutTree', ms: 40 },
          { name: 'RunTask', ms: 30 },
        ],
      },
    ]);
  });
});

describe('bench:ui CPU profile summary', () => {
  const frame = (functionName: string, url = '', lineNumber = 0) => ({
    functionName,
    url,
    lineNumber,
    columnNumber: 0,
  });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('applyTick', 'http://127.0.0.1/assets/index-abc.js?x', 150) },
      { id: 4, callFrame: frame('(program)') },
    ],
    startTime: 0,
    endTime: 10_000,
    // Each sample lasts until the next one.
    samples: [3, 3, 2, 4, 3, 2],
    timeDeltas: [0, 1000, 2000, 1000, 500, 3000],
  };

  it('ranks functions by self time without idle and program time', () => {
    expect(topSelfTimes(profile)).toEqual([{ name: 'applyTick index-abc.js:151', ms: 6 }]);
  });

  it('counts everything but idle as busy', () => {
    expect(busyMs(profile)).toEqual({ busy: 6.5, wall: 10 });
  });
});
