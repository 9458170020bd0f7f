import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeFailure } from '../../harness/run-command';
import { runVirsh } from '../../harness/run-virsh';
import { both, ensureVdctlBuilt, vdctl } from './vdctl-cli';

/** vol-upload and vol-download through the built vdctl, checked with virsh's own transfers. */
const { qemuUri, dir } = inject('libvirtd');
const tag = randomUUID().slice(0, 6);
const pool = `vdctl-st-${tag}`;
const vol = 'data.raw';
const VOL_BYTES = 4 * 1024 * 1024;
// Not a multiple of the 256 KiB stream chunk, so the last packet is a short one.
const payload = randomBytes(3 * 1024 * 1024 + 12345);

async function virshOk(args: string[]): Promise<void> {
  const r = await runVirsh(qemuUri, args);
  if (r.code !== 0) throw new Error(describeFailure(`virsh ${args.join(' ')}`, r));
}

describe('vdctl storage commands', () => {
  let work = '';

  beforeAll(async () => {
    await ensureVdctlBuilt();
    work = await mkdtemp(join(tmpdir(), 'vdctl-st-'));
    await virshOk(['pool-define-as', pool, 'dir', '--target', join(dir, pool)]);
    await virshOk(['pool-build', pool]);
    await virshOk(['pool-start', pool]);
    await virshOk(['vol-create-as', pool, vol, String(VOL_BYTES), '--format', 'raw']);
    await writeFile(join(work, 'payload.bin'), payload);
  });

  afterAll(async () => {
    await runVirsh(qemuUri, ['vol-delete', vol, '--pool', pool]);
    await runVirsh(qemuUri, ['pool-destroy', pool]);
    await runVirsh(qemuUri, ['pool-delete', pool]);
    await runVirsh(qemuUri, ['pool-undefine', pool]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('lists the pool and its volume like virsh', async () => {
    for (const args of [
      ['pool-list', '--all'],
      ['vol-list', pool],
    ]) {
      const r = await both(qemuUri, args);
      expect(r.ours.code).toBe(0);
      expect(r.ours.stdout).toBe(r.theirs.stdout);
    }
    const json = await vdctl(['--json', '-c', qemuUri, 'vol-list', pool]);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        name: vol,
        path: join(dir, pool, vol),
        key: join(dir, pool, vol),
        type: 'file',
        capacityBytes: String(VOL_BYTES),
        allocationBytes: expect.stringMatching(/^\d+$/) as unknown,
      },
    ]);
  });

  it('uploads a file and downloads it back byte for byte', async () => {
    const source = join(work, 'payload.bin');
    const up = await vdctl(['-c', qemuUri, 'vol-upload', vol, source, '--pool', pool]);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toBe('\n');

    // The reference download sees our bytes at the start of the volume, zeros after.
    const viaVirsh = join(work, 'virsh.bin');
    await virshOk(['vol-download', vol, viaVirsh, '--pool', pool]);
    const reference = await readFile(viaVirsh);
    expect(reference.length).toBe(VOL_BYTES);
    expect(reference.subarray(0, payload.length).equals(payload)).toBe(true);
    expect(reference.subarray(payload.length).every((b) => b === 0)).toBe(true);

    // Our download of the whole volume equals virsh's; with --length it is the payload.
    const whole = join(work, 'whole.bin');
    const down = await vdctl(['-c', qemuUri, 'vol-download', vol, whole, '--pool', pool]);
    expect(down.code).toBe(0);
    expect((await readFile(whole)).equals(reference)).toBe(true);
    const part = join(work, 'part.bin');
    const partial = await vdctl([
      '--json',
      '-c',
      qemuUri,
      'vol-download',
      vol,
      part,
      '--pool',
      pool,
      '--length',
      String(payload.length),
    ]);
    expect(partial.code).toBe(0);
    expect((await readFile(part)).equals(payload)).toBe(true);
    expect(JSON.parse(partial.stdout)).toMatchObject({ pool, volume: vol, bytes: payload.length });
  });

  it('uploads at an offset', async () => {
    const chunk = randomBytes(1000);
    const file = join(work, 'chunk.bin');
    await writeFile(file, chunk);
    const up = await vdctl([
      '-c',
      qemuUri,
      'vol-upload',
      vol,
      file,
      '--pool',
      pool,
      '--offset',
      '4096',
    ]);
    expect(up.code).toBe(0);
    const back = join(work, 'chunk-back.bin');
    await virshOk([
      'vol-download',
      vol,
      back,
      '--pool',
      pool,
      '--offset',
      '4096',
      '--length',
      '1000',
    ]);
    expect((await readFile(back)).equals(chunk)).toBe(true);
  });

  it('fails before any transfer when the local file or the volume is missing', async () => {
    const missing = join(work, 'nope.bin');
    const noFile = await vdctl(['-c', qemuUri, 'vol-upload', vol, missing, '--pool', pool]);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toMatch(new RegExp(`^error: cannot read ${missing}\\nerror: .*ENOENT`));

    const r = await both(qemuUri, [
      'vol-download',
      'no-such.raw',
      join(work, 'x.bin'),
      '--pool',
      pool,
    ]);
    expect(r.ours.code).toBe(1);
    expect(r.ours.stderr).toBe(r.theirs.stderr);

    const noPool = await both(qemuUri, ['vol-list', `no-pool-${tag}`]);
    expect(noPool.ours.code).toBe(1);
    expect(noPool.ours.stderr).toBe(noPool.theirs.stderr);
  });
});
