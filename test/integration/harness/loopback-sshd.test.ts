import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, type ConnectConfig } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { findExecutable } from '../../harness/find-executable';
import { readSshBanner, startLoopbackSshd, type LoopbackSshd } from '../../harness/loopback-sshd';
import { isProcessGone, isProcessRunning, listDescendants } from '../../harness/process-control';
import { runCommand } from '../../harness/run-command';
import { waitFor } from '../../harness/wait-for';

const isRoot = process.getuid?.() === 0;

function sshArgs(sshd: LoopbackSshd, knownHostsFile: string, command: string[]): string[] {
  return [
    '-F',
    '/dev/null',
    '-i',
    sshd.clientKeyPath,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    `UserKnownHostsFile=${knownHostsFile}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-p',
    String(sshd.port),
    `${sshd.user}@127.0.0.1`,
    ...command,
  ];
}

function connectSsh2(config: ConnectConfig): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect(config);
  });
}

function execOverSsh2(client: Client, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      let out = '';
      stream.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      stream.stderr.resume();
      stream.on('close', () => resolve(out));
    });
  });
}

describe('loopback sshd', () => {
  const servers: LoopbackSshd[] = [];
  const start = async (options?: Parameters<typeof startLoopbackSshd>[0]) => {
    const t0 = performance.now();
    const sshd = await startLoopbackSshd(options);
    servers.push(sshd);
    console.log(`loopback sshd ready in ${Math.round(performance.now() - t0)} ms on ${sshd.port}`);
    return sshd;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((sshd) => sshd.stop()));
  });

  it('accepts the client key with strict host key checking; stop() leaves no process', async () => {
    const sshd = await start();
    const ssh = findExecutable('ssh', 'install openssh-client');
    expect(await readSshBanner(sshd.port)).toMatch(/^SSH-2\.0-OpenSSH_/);
    expect(sshd.knownHostsLine).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}`);
    // Our fingerprint must be the one OpenSSH computes.
    const keygen = await runCommand(findExecutable('ssh-keygen'), [
      '-l',
      '-E',
      'sha256',
      '-f',
      sshd.knownHostsFile,
    ]);
    expect(keygen.stdout).toContain(sshd.hostKeyFingerprintSha256);

    const t0 = performance.now();
    const ok = await runCommand(ssh, sshArgs(sshd, sshd.knownHostsFile, ['true']), {
      timeoutMs: 20_000,
    });
    console.log(`ssh … true took ${Math.round(performance.now() - t0)} ms`);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);

    // The check is real: an unknown host key is refused.
    const emptyKnownHosts = join(sshd.dir, 'empty_known_hosts');
    await writeFile(emptyKnownHosts, '');
    const refused = await runCommand(ssh, sshArgs(sshd, emptyKnownHosts, ['true']), {
      timeoutMs: 20_000,
    });
    expect(refused.code).toBe(255);
    expect(refused.stderr).toMatch(/Host key verification failed/);

    // A session still open at stop() must end with the server.
    const session = spawn(ssh, sshArgs(sshd, sshd.knownHostsFile, ['sleep', '600']), {
      stdio: 'ignore',
    });
    const sessionExit = new Promise((resolve) => session.once('exit', resolve));
    const serverSide = await waitFor(
      () => {
        const pids = listDescendants(sshd.pid);
        return pids.length >= 2 ? pids : undefined;
      },
      { what: 'the ssh session processes under sshd', timeoutMs: 15_000 },
    );

    await sshd.stop();
    await sessionExit;
    expect(isProcessGone(sshd.pid)).toBe(true);
    for (const pid of serverSide) expect(isProcessRunning(pid)).toBe(false);
    await expect(readSshBanner(sshd.port, 1_000)).rejects.toThrow();
    expect(existsSync(sshd.dir)).toBe(false);
  });

  it('honours AllowTcpForwarding no (and forwards when allowed)', async () => {
    const open = await start();
    const closed = await start({ allowTcpForwarding: false });
    for (const [sshd, allowed] of [
      [open, true],
      [closed, false],
    ] as const) {
      const client = await connectSsh2({
        host: '127.0.0.1',
        port: sshd.port,
        username: sshd.user,
        privateKey: await readFile(sshd.clientKeyPath),
        hostVerifier: (key: Buffer) => key.toString('base64') === sshd.hostPublicKey.split(' ')[1],
      });
      try {
        // direct-tcpip to the sshd's own port: the far end greets with an SSH banner.
        const result = await new Promise<string>((resolve) => {
          client.forwardOut('127.0.0.1', 0, '127.0.0.1', sshd.port, (error, channel) => {
            // OpenSSH refuses with reason 1, SSH_OPEN_ADMINISTRATIVELY_PROHIBITED.
            if (error)
              return resolve(`refused: reason ${(error as Error & { reason?: number }).reason}`);
            channel.once('data', (chunk: Buffer) => {
              resolve(chunk.toString('latin1'));
              channel.close();
            });
          });
        });
        if (allowed) expect(result).toMatch(/^SSH-2\.0-/);
        else expect(result).toBe('refused: reason 1');
      } finally {
        client.end();
      }
    }
  });

  it.skipIf(!isRoot)(
    'creates a throwaway password user and removes it on stop [skipped unless root: useradd/chpasswd need root]',
    async () => {
      const sshd = await start({ passwordUser: true });
      const account = sshd.passwordUser;
      expect(account).toBeDefined();
      if (!account) return;
      const client = await connectSsh2({
        host: '127.0.0.1',
        port: sshd.port,
        username: account.name,
        password: account.password,
        tryKeyboard: false,
        hostVerifier: (key: Buffer) => key.toString('base64') === sshd.hostPublicKey.split(' ')[1],
      });
      try {
        expect((await execOverSsh2(client, 'id -un')).trim()).toBe(account.name);
      } finally {
        client.end();
      }
      await expect(
        connectSsh2({
          host: '127.0.0.1',
          port: sshd.port,
          username: account.name,
          password: 'wrong',
          tryKeyboard: false,
        }),
      ).rejects.toThrow(/authentication/i);
      await sshd.stop();
      const lookup = await runCommand(findExecutable('getent'), ['passwd', account.name]);
      expect(lookup.code).toBe(2);
    },
  );

  it.skipIf(isRoot)(
    'explains why no password user is created without root [skipped as root: root does create one]',
    async () => {
      const sshd = await start({ passwordUser: true });
      expect(sshd.passwordUser).toBeUndefined();
      expect(sshd.passwordUserSkipped).toMatch(/root/);
    },
  );
});
