import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CDPSession } from 'playwright-core';
import { busyMs, topSelfTimes, type CpuProfile, type SelfTime } from './cpu-profile';

export interface ProfileSummary {
  phase: string;
  file: string;
  busyMs: number;
  wallMs: number;
  top: SelfTime[];
}

/** Records the page's CPU profile over one phase of the bench at a time (CDP Profiler). */
export class PhaseProfiler {
  constructor(
    private readonly cdp: CDPSession,
    private readonly dir: string,
  ) {}

  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.cdp.send('Profiler.enable');
    await this.cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await this.cdp.send('Profiler.start');
  }

  async stop(phase: string): Promise<ProfileSummary> {
    const { profile } = (await this.cdp.send('Profiler.stop')) as { profile: CpuProfile };
    const file = join(this.dir, `${phase}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    const { busy, wall } = busyMs(profile);
    return { phase, file, busyMs: busy, wallMs: wall, top: topSelfTimes(profile) };
  }
}
