import { readFileSync, readdirSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Process inspection through /proc, by PID only. The harness never kills by name: it
 * kills the PIDs it started, their descendants, and processes that carry the environment
 * of one of its private daemons (a HOME inside a fresh mkdtemp folder).
 */

interface ProcStat {
  state: string;
  ppid: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm (field 2) may itself hold spaces and parentheses: split after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isProcessRunning(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** True only once the PID no longer exists at all (reaped), zombies included. */
export function isProcessGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export async function waitUntilNotRunning(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessRunning(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(10);
  }
  return true;
}

function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** SIGTERM, then SIGKILL if it is still running after `graceMs`. Resolves once it stopped. */
export async function terminateProcess(pid: number, graceMs: number): Promise<'term' | 'kill'> {
  sendSignal(pid, 'SIGTERM');
  if (await waitUntilNotRunning(pid, graceMs)) return 'term';
  sendSignal(pid, 'SIGKILL');
  if (await waitUntilNotRunning(pid, 5_000)) return 'kill';
  throw new Error(`process ${pid} still running 5 s after SIGKILL`);
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/** Every live descendant of `pid` (children first-level before grandchildren). */
export function listDescendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const candidate of allPids()) {
    const stat = readStat(candidate);
    if (!stat || stat.state === 'Z') continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(candidate);
    children.set(stat.ppid, siblings);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = children.get(queue.shift() as number) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/**
 * Live processes owned by `uid` whose environment holds exactly `entry` (e.g.
 * `HOME=/tmp/vd-libvirtd-x/home`). A private daemon's children — QEMU included — inherit
 * its HOME inside a fresh mkdtemp folder, so this finds what it started and never a
 * stranger's process, not even a client whose command line names the same folder.
 */
export function findProcessesWithEnvironment(entry: string, uid: number): number[] {
  const found: number[] = [];
  for (const pid of allPids()) {
    if (pid === process.pid || !isProcessRunning(pid)) continue;
    try {
      if (statSync(`/proc/${pid}`).uid !== uid) continue;
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry)) found.push(pid);
    } catch {
      // exited while we looked, or not ours to read
    }
  }
  return found;
}

export function readCommandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/** Live processes whose real owner is `uid` (for a throwaway account: all of them are ours). */
export function listProcessesOfUser(uid: number): number[] {
  return allPids().filter((pid) => {
    try {
      return pid !== process.pid && isProcessRunning(pid) && statSync(`/proc/${pid}`).uid === uid;
    } catch {
      return false;
    }
  });
}
