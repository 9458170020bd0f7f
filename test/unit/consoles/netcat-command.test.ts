import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETCAT_MISSING_EXIT, netcatCommand } from '../../../electron/consoles/netcat-command';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vd-nc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the remote command as sshd would hand it to a shell, with only `bin` on PATH. */
function runRemote(
  command: string,
  bin: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { env: { PATH: bin } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('netcatCommand', () => {
  it('passes the address and port, or the socket, to nc as single quoted words', async () => {
    const bin = path.join(dir, 'with-nc');
    await rm(bin, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(bin));
    await symlink('/bin/sh', path.join(bin, 'sh'));
    await writeFile(
      path.join(bin, 'nc'),
      '#!/bin/sh\nfor a in "$@"; do printf "<%s>" "$a"; done\n',
    );
    await chmod(path.join(bin, 'nc'), 0o755);
    expect(
      (await runRemote(netcatCommand({ kind: 'tcp', host: '127.0.0.1', port: 5901 }), bin)).stdout,
    ).toBe('<127.0.0.1><5901>');
    expect(
      (await runRemote(netcatCommand({ kind: 'tcp', host: '::1', port: 5900 }), bin)).stdout,
    ).toBe('<::1><5900>');
    const socket = "/run/user/0/vnc sock's";
    expect((await runRemote(netcatCommand({ kind: 'unix', path: socket }), bin)).stdout).toBe(
      `<-U><${socket}>`,
    );
  });

  it('exits 127 with "nc: not found" when the host has no nc', async () => {
    const bin = path.join(dir, 'no-nc');
    await import('node:fs/promises').then((fs) => fs.mkdir(bin, { recursive: true }));
    await symlink('/bin/sh', path.join(bin, 'sh')).catch(() => undefined);
    const result = await runRemote(
      netcatCommand({ kind: 'tcp', host: '127.0.0.1', port: 5900 }),
      bin,
    );
    expect(result.code).toBe(NETCAT_MISSING_EXIT);
    expect(result.stderr.trim()).toBe('nc: not found');
  });

  it('refuses what no display address can be', () => {
    expect(() => netcatCommand({ kind: 'tcp', host: 'a;reboot', port: 5900 })).toThrow(
      /not an address/,
    );
    expect(() => netcatCommand({ kind: 'tcp', host: '-oProxy', port: 5900 })).toThrow(
      /not an address/,
    );
    expect(() => netcatCommand({ kind: 'tcp', host: '127.0.0.1', port: 70000 })).toThrow(
      /not a TCP port/,
    );
    expect(() => netcatCommand({ kind: 'unix', path: 'relative/sock' })).toThrow(
      /not a socket path/,
    );
    expect(() => netcatCommand({ kind: 'unix', path: '/a\nb' })).toThrow(/not a socket path/);
  });
});
