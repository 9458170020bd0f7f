import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runVirsh } from '../../harness/run-virsh';
import {
  ensureTinyLinux,
  TINY_LINUX_READY_MARKER,
  TinyLinuxUnavailableError,
  tinyLinuxGuestXml,
  type TinyLinuxAssets,
} from '../../harness/test-guests';
import { waitFor } from '../../harness/wait-for';
import { ensureVdctlBuilt, LiveProcess, vdctl } from './vdctl-cli';

/** `vdctl console` through pipes, talking to the tiny Linux guest's shell on ttyS0. */
const { qemuUri, dir } = inject('libvirtd');
const name = `vdctl-con-${randomUUID().slice(0, 8)}`;
const serialLog = join(dir, `${name}-serial.log`);

let assets: TinyLinuxAssets | null = null;
let unavailable = '';
try {
  assets = await ensureTinyLinux();
} catch (error) {
  if (!(error instanceof TinyLinuxUnavailableError)) throw error;
  unavailable = error.message;
}

describe.skipIf(assets === null)(
  `vdctl console${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let xmlDir = '';
    const live: LiveProcess[] = [];

    beforeAll(async () => {
      await ensureVdctlBuilt();
      if (!assets) return;
      xmlDir = await mkdtemp(join(tmpdir(), 'vdctl-con-'));
      const xmlFile = join(xmlDir, `${name}.xml`);
      await writeFile(
        xmlFile,
        tinyLinuxGuestXml({ name, uuid: randomUUID(), ...assets, serialLogFile: serialLog }),
      );
      expect((await runVirsh(qemuUri, ['define', xmlFile])).code).toBe(0);
      expect((await runVirsh(qemuUri, ['start', name])).code).toBe(0);
      // The shell owns ttyS0 once the marker is out; typing before that could be lost.
      await waitFor(
        () =>
          existsSync(serialLog) && readFileSync(serialLog, 'utf8').includes(TINY_LINUX_READY_MARKER)
            ? true
            : undefined,
        { what: `${TINY_LINUX_READY_MARKER} in ${serialLog}`, timeoutMs: 60_000, intervalMs: 100 },
      );
    });

    afterAll(async () => {
      for (const p of live.splice(0)) await p.stop();
      await runVirsh(qemuUri, ['destroy', name]);
      await runVirsh(qemuUri, ['undefine', name]);
      await rm(serialLog, { force: true });
      if (xmlDir) await rm(xmlDir, { recursive: true, force: true });
    });

    it('runs a command in the guest and leaves on Ctrl+]', async () => {
      const session = LiveProcess.vdctl(['-c', qemuUri, 'console', name]);
      live.push(session);
      await session.waitFor(`Connected to domain '${name}'`, 'stderr');
      // The shell computes the answer, so seeing it proves the round trip through the guest.
      session.write('echo vdctl-console-$((6*7))\n');
      await session.waitFor('vdctl-console-42');
      session.write(Buffer.from([0x1d]));
      expect(await session.exited).toBe(0);
      expect(session.stderr).toContain('Escape character is ^] (Ctrl + ])');
      // stdout is the guest's bytes only (the banner went to stderr), plus virsh's blank line.
      expect(session.stdout).not.toContain('Connected to domain');
      expect(await runVirsh(qemuUri, ['domstate', name])).toMatchObject({ stdout: 'running\n\n' });
    });

    it('takes its input from a pipe and ends after the input ends and the guest goes quiet', async () => {
      const r = await vdctl(['-c', qemuUri, 'console', '--force', name], {
        input: 'echo piped-$((2+3))-done\n',
        timeoutMs: 30_000,
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('piped-5-done');
    });

    it('refuses a guest that is not running, like virsh', async () => {
      const other = `vdctl-con-off-${randomUUID().slice(0, 8)}`;
      const xmlFile = join(xmlDir, `${other}.xml`);
      await writeFile(xmlFile, tinyLinuxGuestXml({ name: other, uuid: randomUUID(), ...assets! }));
      await runVirsh(qemuUri, ['define', xmlFile]);
      try {
        const r = await vdctl(['-c', qemuUri, 'console', other]);
        expect(r.code).toBe(1);
        expect(r.stderr).toBe('error: The domain is not running\n');
      } finally {
        await runVirsh(qemuUri, ['undefine', other]);
      }
    });
  },
);
