import { readFileSync } from 'node:fs';
import type { Contender, RunSample } from './contender';

export interface ContenderSamples {
  contender: Contender;
  samples: RunSample[];
  /** libvirtd CPU (all threads) during each measured run. */
  daemonCpuSeconds: number[];
}

// Linux reports utime/stime in USER_HZ, which the kernel ABI fixes at 100 on every
// architecture Node supports.
const USER_HZ = 100;

/** CPU seconds (user + system, all threads) a live process has used so far. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // comm (field 2) may hold spaces and parentheses: split after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`unreadable /proc/${pid}/stat`);
  }
  return (utime + stime) / USER_HZ;
}

/**
 * Runs every contender `warmup` rounds unmeasured, then `repeats` rounds measured. Each
 * round runs all contenders once, starting one further along each time, so load from
 * other processes on a shared machine and slow drift hit every client alike instead of
 * whichever happened to run last.
 */
export async function runRoundRobin(
  contenders: readonly Contender[],
  { warmup, repeats, daemonPid }: { warmup: number; repeats: number; daemonPid: number },
): Promise<ContenderSamples[]> {
  const results = contenders.map((contender) => ({
    contender,
    samples: [] as RunSample[],
    daemonCpuSeconds: [] as number[],
  }));
  const k = results.length;
  for (let round = 0; round < warmup + repeats; round++) {
    for (let j = 0; j < k; j++) {
      const slot = results[(round + j) % k] as ContenderSamples;
      const before = processCpuSeconds(daemonPid);
      const sample = await slot.contender.run();
      const daemonCpu = processCpuSeconds(daemonPid) - before;
      if (round >= warmup) {
        slot.samples.push(sample);
        slot.daemonCpuSeconds.push(daemonCpu);
      }
    }
  }
  return results;
}
