import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { version } from '../../../package.json';
import { vdctlCommands } from '../../../electron/vdctl/command-registry';
import { runVdctl } from '../../../electron/vdctl/run-vdctl';

async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const stdin = new PassThrough();
  stdin.end();
  const code = await runVdctl(argv, { stdin, stdout, stderr, env });
  return {
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

describe('runVdctl without a daemon', () => {
  const empty = mkdtempSync(join(tmpdir(), 'vdctl-unit-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('prints its version', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `vdctl ${version}\n`, stderr: '' });
  });

  it('lists every command in help', async () => {
    const help = await run(['help']);
    expect(help.code).toBe(0);
    for (const c of vdctlCommands) expect(help.stdout).toContain(`  ${c.name} `);
    expect(help.stdout).toMatch(/ALWAYS decimal/);
    expect((await run(['--help'])).stdout).toBe(help.stdout);
  });

  it('shows one command in detail, by help COMMAND or COMMAND --help', async () => {
    const a = await run(['help', 'dumpxml']);
    const b = await run(['dumpxml', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('Usage: vdctl dumpxml [--inactive] [--security-info] DOMAIN');
    expect(a.stdout).toContain('--security-info');
    expect(a.stdout).toContain('--json');
  });

  it('exits 2 with a usage hint for bad command lines, without connecting', async () => {
    for (const argv of [
      [],
      ['bogus'],
      ['list', '--bogus'],
      ['dominfo'],
      ['-c'],
      ['event', '--event', 'nope'],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout, argv.join(' ')).toBe('');
      expect(r.stderr, argv.join(' ')).toMatch(/^error: .+\nUsage: vdctl .+\nTry 'vdctl help/);
    }
  });

  it('reports an unreachable daemon like virsh and exits 1', async () => {
    const socket = join(empty, 'no-such-sock');
    const r = await run(['-c', `qemu+unix:///session?socket=${socket}`, 'list']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('error: failed to connect to the hypervisor');
    expect(lines[1]).toContain(socket);
    // virsh connects before the command runs: no command output, not even its blank line.
    expect(r.stdout).toBe('');
  });

  it('in --json mode reports failures as one JSON object on stderr', async () => {
    const r = await run([
      '--json',
      '-c',
      `qemu+unix:///session?socket=${join(empty, 's')}`,
      'list',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const doc = JSON.parse(r.stderr) as { error: { messages: string[]; libvirt: unknown } };
    expect(doc.error.messages[0]).toBe('failed to connect to the hypervisor');
    expect(doc.error.libvirt).toBeNull();
  });
});
