import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runVirsh } from '../../harness/run-virsh';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import { both, ensureVdctlBuilt, vdctl } from './vdctl-cli';

/**
 * define/start/suspend/resume/shutdown/destroy/undefine through the built vdctl, with the
 * state checked by the reference tool (virsh domstate) after each step.
 */
const { qemuUri } = inject('libvirtd');
const name = `vdctl-life-${randomUUID().slice(0, 8)}`;
const uuid = randomUUID();

async function domstate(): Promise<string> {
  const r = await runVirsh(qemuUri, ['domstate', name]);
  return r.code === 0 ? r.stdout.trim() : `(virsh failed: ${r.stderr.trim()})`;
}

async function ok(args: string[]): Promise<string> {
  const r = await vdctl(['-c', qemuUri, ...args]);
  expect(r.stderr, `vdctl ${args.join(' ')}`).toBe('');
  expect(r.code, `vdctl ${args.join(' ')}`).toBe(0);
  return r.stdout;
}

describe('vdctl lifecycle commands', () => {
  let xmlDir = '';
  let xmlFile = '';

  beforeAll(async () => {
    await ensureVdctlBuilt();
    xmlDir = await mkdtemp(join(tmpdir(), 'vdctl-life-'));
    xmlFile = join(xmlDir, `${name}.xml`);
    await writeFile(xmlFile, firmwareVncGuestXml({ name, uuid }));
  });

  afterAll(async () => {
    await runVirsh(qemuUri, ['destroy', name]);
    await runVirsh(qemuUri, ['undefine', name]);
    if (xmlDir) await rm(xmlDir, { recursive: true, force: true });
  });

  it('walks a guest through its whole life, as virsh reports it', async () => {
    expect(await ok(['define', xmlFile])).toBe(`Domain '${name}' defined from ${xmlFile}\n\n`);
    expect(await domstate()).toBe('shut off');

    expect(await ok(['start', name])).toBe(`Domain '${name}' started\n\n`);
    expect(await domstate()).toBe('running');

    expect(await ok(['suspend', name])).toBe(`Domain '${name}' suspended\n\n`);
    expect(await domstate()).toBe('paused');

    expect(await ok(['resume', uuid])).toBe(`Domain '${name}' resumed\n\n`);
    expect(await domstate()).toBe('running');

    // SeaBIOS has no ACPI handler, so the request is accepted and the guest keeps running.
    expect(await ok(['shutdown', name])).toBe(`Domain '${name}' is being shutdown\n\n`);

    expect(await ok(['destroy', name])).toBe(`Domain '${name}' destroyed\n\n`);
    expect(await domstate()).toBe('shut off');

    expect(await ok(['undefine', '--managed-save', '--nvram', name])).toBe(
      `Domain '${name}' has been undefined\n\n`,
    );
    const gone = await runVirsh(qemuUri, ['domstate', name]);
    expect(gone.code).toBe(1);
  });

  it('fails like virsh where virsh fails, with libvirt reason and exit 1', async () => {
    await runVirsh(qemuUri, ['define', xmlFile]);
    // Each of these is wrong for a shut-off guest; virsh says why in its first line.
    for (const args of [
      ['suspend', name],
      ['resume', name],
      ['destroy', name],
      ['shutdown', name],
    ]) {
      const r = await both(qemuUri, args);
      expect(r.theirs.code).toBe(1);
      expect(r.ours.code, args.join(' ')).toBe(1);
      expect(r.ours.stderr, args.join(' ')).toBe(r.theirs.stderr);
      expect(r.ours.stdout).toBe(r.theirs.stdout);
    }
    expect(await domstate()).toBe('shut off');

    await runVirsh(qemuUri, ['start', name]);
    const again = await both(qemuUri, ['start', name]);
    expect(again.ours.code).toBe(1);
    expect(again.ours.stderr).toBe(again.theirs.stderr);
    expect(again.ours.stderr).toBe('error: Domain is already active\n');
  });

  it('prints libvirt’s message for an unknown domain and exits 1', async () => {
    const missing = `no-such-${randomUUID().slice(0, 8)}`;
    const r = await both(qemuUri, ['dominfo', missing]);
    expect(r.ours.code).toBe(1);
    expect(r.ours.stdout).toBe('\n');
    // virsh 9 prints only its own first line; we add libvirt's reason after it.
    expect(r.theirs.stderr).toBe(`error: failed to get domain '${missing}'\n`);
    expect(r.ours.stderr).toBe(
      `error: failed to get domain '${missing}'\n` +
        `error: Domain not found: no domain with matching name '${missing}'\n`,
    );
  });

  it('rejects a broken definition with libvirt’s reason and defines nothing', async () => {
    const bad = join(xmlDir, 'bad.xml');
    await writeFile(bad, '<domain type="qemu"><name>x</name>');
    const r = await both(qemuUri, ['define', bad]);
    expect(r.ours.code).toBe(1);
    expect(r.ours.stderr).toBe(r.theirs.stderr);
    expect(r.ours.stderr.split('\n')[0]).toBe(`error: Failed to define domain from ${bad}`);

    const missingFile = join(xmlDir, 'missing.xml');
    const m = await vdctl(['-c', qemuUri, 'define', missingFile]);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(
      new RegExp(`^error: Failed to read file '${missingFile}'\\nerror: .*ENOENT`),
    );
  });

  it('answers in JSON when asked', async () => {
    await runVirsh(qemuUri, ['define', xmlFile]);
    await runVirsh(qemuUri, ['start', name]);
    expect(await domstate()).toBe('running');
    const r = await vdctl(['--json', '-c', qemuUri, 'suspend', name]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ name, uuid, result: 'suspended' });
    expect(await domstate()).toBe('paused');
    const err = await vdctl(['--json', '-c', qemuUri, 'dominfo', 'no-such-domain-x']);
    expect(err.code).toBe(1);
    expect(JSON.parse(err.stderr)).toEqual({
      error: {
        message:
          "failed to get domain 'no-such-domain-x': Domain not found: no domain with matching name 'no-such-domain-x'",
        messages: [
          "failed to get domain 'no-such-domain-x'",
          "Domain not found: no domain with matching name 'no-such-domain-x'",
        ],
        libvirt: {
          code: 42,
          codeName: 'VIR_ERR_NO_DOMAIN',
          domain: 10,
          domainName: 'VIR_FROM_QEMU',
        },
      },
    });
  });
});
