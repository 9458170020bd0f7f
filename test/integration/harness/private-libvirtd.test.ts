import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { probeLibvirtSocket } from '../../harness/libvirt-ready-probe';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../../harness/private-libvirtd';
import { isProcessGone, isProcessRunning } from '../../harness/process-control';
import { firmwareVncGuestXml } from '../../harness/test-guests';

/** Reads the first 12 bytes a VNC server sends: its RFB version line. */
function readRfbVersion(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    socket.setTimeout(5_000, () => {
      socket.destroy();
      reject(new Error(`no RFB greeting on 127.0.0.1:${port}`));
    });
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 12) {
        socket.destroy();
        resolve(data.subarray(0, 12).toString('latin1'));
      }
    });
  });
}

function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Uid:'));
  return Number(line?.split(/\s+/)[1]);
}

async function startFirmwareGuest(daemon: PrivateLibvirtd, name: string): Promise<number> {
  const xmlPath = join(daemon.dir, `${name}.xml`);
  await writeFile(xmlPath, firmwareVncGuestXml({ name, uuid: randomUUID() }));
  const defined = await daemon.virsh(['define', xmlPath]);
  expect(defined.stderr).toBe('');
  expect(defined.code).toBe(0);
  const started = await daemon.virsh(['start', name]);
  expect(started.stderr).toBe('');
  expect(started.code).toBe(0);
  const pidFile = join(daemon.dir, 'run', 'libvirt', 'qemu', 'run', `${name}.pid`);
  const qemuPid = Number(readFileSync(pidFile, 'utf8').trim());
  expect(isProcessRunning(qemuPid)).toBe(true);
  expect(readFileSync(`/proc/${qemuPid}/cmdline`, 'utf8')).toContain(`guest=${name}`);
  return qemuPid;
}

describe('private libvirtd', () => {
  const started: PrivateLibvirtd[] = [];
  const launch = async (): Promise<PrivateLibvirtd> => {
    const t0 = performance.now();
    const daemon = await startPrivateLibvirtd({ hostUuid: randomUUID() });
    started.push(daemon);
    console.log(`private libvirtd ready in ${Math.round(performance.now() - t0)} ms`);
    return daemon;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((daemon) => daemon.stop()));
  });

  it('runs a firmware VNC guest and stop() leaves no daemon, QEMU or folder behind', async () => {
    const daemon = await launch();
    const runsAsRoot = process.getuid?.() === 0;
    // A root libvirtd would be the system daemon: the harness must have dropped privileges.
    expect(uidOf(daemon.pid) === 0).toBe(false);
    expect(uidOf(daemon.virtlogdPid) === 0).toBe(false);
    if (runsAsRoot) expect(daemon.user).not.toBe('root');
    // The harness process itself (root or not) is served by the private socket.
    expect(await probeLibvirtSocket(daemon.socketPath, 2_000)).toEqual([0]);
    const testDriver = await daemon.virsh(['list', '--all'], 'test');
    expect(testDriver.stdout).toMatch(/\btest\s+running\b/);

    const qemuPid = await startFirmwareGuest(daemon, 'harness-fw');
    expect(uidOf(qemuPid)).toBe(uidOf(daemon.pid));
    const display = await daemon.virsh(['vncdisplay', 'harness-fw']);
    const match = /^127\.0\.0\.1:(\d+)$/m.exec(display.stdout);
    expect(match, display.stdout + display.stderr).not.toBeNull();
    expect(await readRfbVersion(5900 + Number(match?.[1]))).toBe('RFB 003.008\n');

    const t0 = performance.now();
    await daemon.stop();
    console.log(`stop with one running guest took ${Math.round(performance.now() - t0)} ms`);
    expect(isProcessGone(daemon.pid)).toBe(true);
    expect(isProcessGone(daemon.virtlogdPid)).toBe(true);
    expect(isProcessRunning(qemuPid)).toBe(false);
    expect(existsSync(daemon.dir)).toBe(false);
  });

  it('stop() still ends the QEMU of a daemon that died (found by its pid file)', async () => {
    const daemon = await launch();
    const qemuPid = await startFirmwareGuest(daemon, 'harness-orphan');
    process.kill(daemon.pid, 'SIGKILL');
    await daemon.exited;
    // Session guests survive their daemon: only the harness can clean this up now.
    expect(isProcessRunning(qemuPid)).toBe(true);
    await daemon.stop();
    expect(isProcessRunning(qemuPid)).toBe(false);
    expect(isProcessGone(daemon.virtlogdPid)).toBe(true);
    expect(existsSync(daemon.dir)).toBe(false);
  });

  it('gives each daemon the host UUID it was asked for', async () => {
    const uuid = randomUUID();
    const daemon = await startPrivateLibvirtd({ hostUuid: uuid });
    started.push(daemon);
    const sysinfo = await daemon.virsh(['capabilities']);
    expect(sysinfo.code).toBe(0);
    expect(sysinfo.stdout).toContain(`<uuid>${uuid}</uuid>`);
  });

  it('rejects a malformed host UUID', async () => {
    await expect(startPrivateLibvirtd({ hostUuid: 'not-a-uuid' })).rejects.toThrow(/hostUuid/);
  });

  it('the global daemon is provided to tests and exported in the environment', async () => {
    const provided = inject('libvirtd');
    expect(provided.qemuUri).toBe(`qemu+unix:///session?socket=${provided.socketPath}`);
    expect(process.env.VIRTDECK_TEST_LIBVIRT_SOCKET).toBe(provided.socketPath);
    expect(await probeLibvirtSocket(provided.socketPath, 2_000)).toEqual([0]);
  });
});
