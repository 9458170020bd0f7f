import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { runVirsh } from '../../harness/run-virsh';
import {
  ensureTinyLinux,
  TINY_LINUX_READY_MARKER,
  TinyLinuxUnavailableError,
  tinyLinuxGuestXml,
  type TinyLinuxAssets,
} from '../../harness/test-guests';
import { waitFor } from '../../harness/wait-for';

describe('tiny Linux guest on the global private daemon', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('boots to its shell and prints the ready marker on the serial port', async (ctx) => {
    let assets: TinyLinuxAssets;
    try {
      const t0 = performance.now();
      assets = await ensureTinyLinux();
      console.log(`tiny Linux assets ready in ${Math.round(performance.now() - t0)} ms`);
    } catch (error) {
      if (error instanceof TinyLinuxUnavailableError) return ctx.skip(error.message);
      throw error;
    }
    const { qemuUri, dir } = inject('libvirtd');
    const name = `harness-tiny-${randomUUID().slice(0, 8)}`;
    // virtlogd (the daemon's user) writes the serial log, so it goes in the daemon's folder.
    const serialLog = join(dir, `${name}-serial.log`);
    const xmlDir = await mkdtemp(join(tmpdir(), 'vd-tiny-xml-'));
    cleanups.push(() => rm(xmlDir, { recursive: true, force: true }));
    const xmlPath = join(xmlDir, `${name}.xml`);
    await writeFile(
      xmlPath,
      tinyLinuxGuestXml({ name, uuid: randomUUID(), ...assets, serialLogFile: serialLog }),
    );

    const defined = await runVirsh(qemuUri, ['define', xmlPath]);
    expect(defined.code, defined.stderr).toBe(0);
    cleanups.push(async () => {
      await runVirsh(qemuUri, ['destroy', name]);
      await runVirsh(qemuUri, ['undefine', name]);
      await rm(serialLog, { force: true });
    });
    const t0 = performance.now();
    const started = await runVirsh(qemuUri, ['start', name]);
    expect(started.code, started.stderr).toBe(0);

    const output = await waitFor(
      () => {
        const text = existsSync(serialLog) ? readFileSync(serialLog, 'utf8') : '';
        return text.includes(TINY_LINUX_READY_MARKER) ? text : undefined;
      },
      {
        what: `${TINY_LINUX_READY_MARKER} in ${serialLog}`,
        timeoutMs: 45_000,
        intervalMs: 100,
        describeTimeout: () =>
          existsSync(serialLog) ? readFileSync(serialLog, 'utf8').slice(-2000) : '(no log file)',
      },
    );
    console.log(
      `tiny Linux printed its marker ${Math.round(performance.now() - t0)} ms after start`,
    );
    // The kernel really booted from our initramfs: its own messages precede the marker.
    expect(output.indexOf('Run /init as init process')).toBeGreaterThanOrEqual(0);
    expect(output.indexOf('Run /init as init process')).toBeLessThan(
      output.indexOf(TINY_LINUX_READY_MARKER),
    );

    const state = await runVirsh(qemuUri, ['domstate', name]);
    expect(state.stdout.trim()).toBe('running');
    const destroyed = await runVirsh(qemuUri, ['destroy', name]);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect((await runVirsh(qemuUri, ['domstate', name])).stdout.trim()).toBe('shut off');
  });
});
