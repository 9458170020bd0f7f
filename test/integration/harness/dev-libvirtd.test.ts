import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { probeLibvirtSocket } from '../../harness/libvirt-ready-probe';
import { isProcessGone, readCommandLine, terminateProcess } from '../../harness/process-control';
import { runVirsh } from '../../harness/run-virsh';
import { waitFor } from '../../harness/wait-for';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('npm run dev:libvirtd', () => {
  let child: ChildProcess | undefined;
  let daemonPids: number[] = [];
  let daemonFolder = '';
  afterEach(async () => {
    if (child?.pid !== undefined && child.exitCode === null)
      await terminateProcess(child.pid, 10_000);
    // If the script itself had to be killed, its daemons (PIDs it printed) are ours to end.
    // Checked by command line (their config lives in the printed folder): a PID the system
    // has reused since is left alone.
    for (const pid of daemonPids.splice(0)) {
      if (daemonFolder && readCommandLine(pid)?.includes(daemonFolder))
        await terminateProcess(pid, 5_000);
    }
  });

  it('prints the socket and URIs, serves them, and SIGTERM stops it cleanly', async () => {
    // Same script the npm script runs, without the npm/tsx wrapper processes in between.
    const proc = spawn(process.execPath, ['--import', 'tsx', 'test/harness/dev-libvirtd.ts'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));

    const banner = await waitFor(() => (/Ctrl\+C/.test(output) ? output : undefined), {
      what: 'dev-libvirtd banner',
      timeoutMs: 30_000,
      describeTimeout: () => output,
    });
    const socket = /socket:\s+(\S+)/.exec(banner)?.[1] ?? '';
    const qemuUri = /QEMU:\s+(\S+)/.exec(banner)?.[1] ?? '';
    const folder = /folder:\s+(\S+)/.exec(banner)?.[1] ?? '';
    daemonFolder = folder;
    const pids = /pid (\d+), virtlogd (\d+)/.exec(banner);
    daemonPids = [Number(pids?.[1]), Number(pids?.[2])].filter((pid) => pid > 0);
    expect(daemonPids).toHaveLength(2);
    expect(qemuUri).toBe(`qemu+unix:///session?socket=${socket}`);
    expect(await probeLibvirtSocket(socket, 2_000)).toEqual([0]);
    const listed = await runVirsh(qemuUri, ['list', '--all']);
    expect(listed.code, listed.stderr).toBe(0);

    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped; folder removed.');
    expect(existsSync(folder)).toBe(false);
    for (const pid of daemonPids) expect(isProcessGone(pid)).toBe(true);
  });
});
