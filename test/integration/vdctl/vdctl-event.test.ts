import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { findExecutable } from '../../harness/find-executable';
import { runVirsh } from '../../harness/run-virsh';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import { waitFor } from '../../harness/wait-for';
import { both, cliEnvironment, ensureVdctlBuilt, LiveProcess } from './vdctl-cli';

const { qemuUri } = inject('libvirtd');
const name = `vdctl-ev-${randomUUID().slice(0, 8)}`;

/** The lifecycle lines of our guest, from its first start on (earlier lines depend on when each tool registered). */
function lifecycleFromStart(output: string): string[] {
  const lines = output
    .split('\n')
    .filter((l) => l.startsWith(`event 'lifecycle' for domain '${name}'`));
  const first = lines.findIndex((l) => l.endsWith(': Started Booted'));
  return first < 0 ? [] : lines.slice(first);
}

describe('vdctl event', () => {
  let xmlDir = '';
  let xmlFile = '';
  const live: LiveProcess[] = [];

  beforeAll(async () => {
    await ensureVdctlBuilt();
    xmlDir = await mkdtemp(join(tmpdir(), 'vdctl-ev-'));
    xmlFile = join(xmlDir, `${name}.xml`);
    await writeFile(xmlFile, firmwareVncGuestXml({ name, uuid: randomUUID() }));
  });

  afterEach(async () => {
    for (const p of live.splice(0)) await p.stop();
    await runVirsh(qemuUri, ['destroy', name]);
    await runVirsh(qemuUri, ['undefine', name]);
  });

  afterAll(async () => {
    if (xmlDir) await rm(xmlDir, { recursive: true, force: true });
  });

  it('prints the lifecycle events of a guest started meanwhile, line for line as virsh', async () => {
    const env = cliEnvironment();
    const virsh = new LiveProcess(
      findExecutable('virsh'),
      ['-c', qemuUri, 'event', '--all', '--loop', '--timeout', '120'],
      { ...env, LIBVIRT_DEFAULT_URI: qemuUri },
    );
    const ours = LiveProcess.vdctl(['-c', qemuUri, 'event', '--loop', '--timeout', '120'], env);
    live.push(virsh, ours);
    await ours.waitFor('Waiting for domain events', 'stderr');

    // virsh says nothing once it listens, so define the guest until virsh has seen it:
    // from then on both are registered, and every later event must reach both.
    await waitFor(
      async () => {
        await runVirsh(qemuUri, ['define', xmlFile]);
        return virsh.stdout.includes(`for domain '${name}': Defined`) ? true : undefined;
      },
      { what: 'virsh event to see the guest defined', timeoutMs: 20_000, intervalMs: 200 },
    );
    for (const action of ['start', 'suspend', 'resume', 'destroy']) {
      const r = await runVirsh(qemuUri, [action, name]);
      expect(r.code, `virsh ${action}: ${r.stderr}`).toBe(0);
    }
    const destroyed = `event 'lifecycle' for domain '${name}': Stopped Destroyed`;
    await ours.waitFor(destroyed);
    await virsh.waitFor(destroyed);

    // The two tools saw the same events in the same order…
    expect(lifecycleFromStart(ours.stdout)).toEqual(lifecycleFromStart(virsh.stdout));
    // …and those include each step we took, in order (QEMU adds a 'Shutdown' before the
    // destroy's 'Stopped' when it gets its SIGTERM).
    const steps = [
      `event 'lifecycle' for domain '${name}': Started Booted`,
      `event 'lifecycle' for domain '${name}': Suspended Paused`,
      `event 'lifecycle' for domain '${name}': Resumed Unpaused`,
      destroyed,
    ];
    const seen = lifecycleFromStart(ours.stdout);
    const positions = steps.map((step) => seen.indexOf(step));
    expect(
      positions.every((p) => p >= 0),
      seen.join('\n'),
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    // Ctrl+C ends both the same way.
    ours.child.kill('SIGINT');
    virsh.child.kill('SIGINT');
    expect(await ours.exited).toBe(0);
    await virsh.exited;
    const tail = (s: string) => s.split('\n').slice(-4).join('\n');
    expect(tail(ours.stdout)).toMatch(/^event loop interrupted\nevents received: \d+\n\n$/);
    expect(tail(ours.stdout).split('\n')[0]).toBe(tail(virsh.stdout).split('\n')[0]);
  });

  it('--timeout ends the loop by itself; no events is a failure, as in virsh', async () => {
    await runVirsh(qemuUri, ['define', xmlFile]);
    const args = ['event', '--domain', name, '--event', 'lifecycle', '--loop', '--timeout', '1'];
    const r = await both(qemuUri, args);
    expect(r.theirs.code).toBe(1);
    expect(r.ours.code).toBe(1);
    expect(r.ours.stdout).toBe('event loop timed out\nevents received: 0\n\n');
    expect(r.ours.stdout).toBe(r.theirs.stdout);
  });

  it('without --loop stops after the first event, and --json prints one object per line', async () => {
    await runVirsh(qemuUri, ['define', xmlFile]);
    expect((await runVirsh(qemuUri, ['start', name])).code).toBe(0);
    const ours = LiveProcess.vdctl([
      '--json',
      '-c',
      qemuUri,
      'event',
      '--domain',
      name,
      '--event',
      'lifecycle',
      '--timeout',
      '60',
    ]);
    live.push(ours);
    await ours.waitFor('Waiting for', 'stderr');
    expect((await runVirsh(qemuUri, ['suspend', name])).code).toBe(0);
    expect(await ours.exited).toBe(0);
    const lines = ours.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      kind: 'lifecycle',
      domain: { name },
      event: 3,
      eventName: 'suspended',
      detail: 0,
      detailName: 'paused',
    });
  });
});
