import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './find-executable';
import { findFreeLoopbackPort } from './free-port';
import { listDescendants, terminateProcess } from './process-control';
import { describeFailure, runCommand } from './run-command';
import { createThrowawayUser, type ThrowawayUser } from './throwaway-user';
import { waitFor } from './wait-for';

export interface LoopbackSshdOptions {
  /** sshd's PasswordAuthentication (default: yes only when a password user exists). */
  passwordAuthentication?: boolean;
  /** AllowTcpForwarding (default true; tests turn it off to exercise fallbacks). */
  allowTcpForwarding?: boolean;
  /** AllowStreamLocalForwarding (default true). */
  allowStreamLocalForwarding?: boolean;
  /** sshd's SetEnv for every session (e.g. a PATH without nc, to test the fallback's failure). */
  setEnv?: Record<string, string>;
  /** Create a throwaway local user with a random password (root only; else skipped). */
  passwordUser?: boolean;
  startTimeoutMs?: number;
}

export interface LoopbackSshd {
  port: number;
  host: '127.0.0.1';
  /** Key-auth login user: root when we are root, else ourselves. */
  user: string;
  clientKeyPath: string;
  clientPublicKey: string;
  hostKeyType: string;
  /** `ssh-ed25519 AAAA…` (no comment). */
  hostPublicKey: string;
  /** `SHA256:…` as OpenSSH prints it. */
  hostKeyFingerprintSha256: string;
  /** `[127.0.0.1]:PORT ssh-ed25519 AAAA…` */
  knownHostsLine: string;
  knownHostsFile: string;
  /** The server's identification line, e.g. `SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u7`. */
  banner: string;
  passwordUser?: { name: string; password: string };
  /** Why `passwordUser` is absent although it was asked for. */
  passwordUserSkipped?: string;
  pid: number;
  dir: string;
  logTail(lines?: number): string;
  /** Ends every session of this sshd, the server itself, the password user; removes dir. */
  stop(): Promise<void>;
}

async function generateKey(path: string, comment: string): Promise<string> {
  const keygen = await runCommand(findExecutable('ssh-keygen', 'install openssh-client'), [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    comment,
    '-f',
    path,
  ]);
  if (keygen.code !== 0) throw new Error(describeFailure('ssh-keygen', keygen));
  return (await readFile(`${path}.pub`, 'utf8')).trim();
}

/** OpenSSH's fingerprint: SHA-256 of the key blob, base64 without padding. */
function fingerprintSha256(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.split(' ')[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Reads the server's first line; rejects if nothing SSH-like arrives. */
export function readSshBanner(port: number, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const finish = (error?: Error): void => {
      socket.destroy();
      if (error) reject(error);
      else resolve(data.split('\r\n')[0] ?? '');
    };
    socket.setTimeout(timeoutMs, () => finish(new Error('no SSH banner in time')));
    socket.on('error', (error) => finish(error));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      if (data.includes('\n')) {
        finish(
          data.startsWith('SSH-2.0-') ? undefined : new Error(`not SSH: ${JSON.stringify(data)}`),
        );
      }
    });
    socket.on('close', () => finish(new Error('closed before a banner')));
  });
}

function sshdConfig(
  dir: string,
  port: number,
  users: string[],
  o: LoopbackSshdOptions,
  password: boolean,
): string {
  const yesNo = (value: boolean | undefined, fallback: boolean): string =>
    (value ?? fallback) ? 'yes' : 'no';
  const lines = [
    '# Written by VirtDeck test harness: a private sshd on loopback only.',
    `Port ${port}`,
    'AddressFamily inet',
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'ssh_host_ed25519_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys.d', '%u')}`,
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${password ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    `AllowUsers ${users.join(' ')}`,
    `AllowTcpForwarding ${yesNo(o.allowTcpForwarding, true)}`,
    `AllowStreamLocalForwarding ${yesNo(o.allowStreamLocalForwarding, true)}`,
    'X11Forwarding no',
    'PrintMotd no',
    'PrintLastLog no',
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
  ];
  if (process.getuid?.() === 0) lines.push('PermitRootLogin prohibit-password');
  for (const [name, value] of Object.entries(o.setEnv ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /[\s"\\]/.test(value)) {
      throw new Error(`SetEnv ${name}=${value}: not a plain variable and value`);
    }
    lines.push(`SetEnv ${name}=${value}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A private OpenSSH server on 127.0.0.1 and a random port, with its own host key, client
 * key pair and config in a temp folder. Stops by PID (its sessions first).
 */
export async function startLoopbackSshd(options: LoopbackSshdOptions = {}): Promise<LoopbackSshd> {
  const isRoot = process.getuid?.() === 0;
  const sshdPath = findExecutable('sshd', 'install openssh-server');
  const dir = await mkdtemp(join(tmpdir(), 'vd-sshd-'));
  const log = join(dir, 'sshd.log');
  const logTail = (lines = 20): string => {
    try {
      return readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  };
  let child: ChildProcess | undefined;
  let exit: Promise<string> | undefined;
  let throwaway: ThrowawayUser | undefined;
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (child?.pid !== undefined) {
        // Per-connection sshd processes and their shells outlive the listener; end them first.
        const sessions = listDescendants(child.pid);
        await Promise.all(sessions.reverse().map((pid) => terminateProcess(pid, 2_000)));
        await terminateProcess(child.pid, 5_000);
        await exit;
      }
      await throwaway?.remove();
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    })());

  try {
    const user = isRoot ? 'root' : userInfo().username;
    const clientKeyPath = join(dir, 'client_ed25519');
    const [hostPub, clientPublicKey] = await Promise.all([
      generateKey(join(dir, 'ssh_host_ed25519_key'), 'virtdeck-test-host'),
      generateKey(clientKeyPath, 'virtdeck-test-client'),
    ]);
    await mkdir(join(dir, 'authorized_keys.d'));
    await writeFile(join(dir, 'authorized_keys.d', user), `${clientPublicKey}\n`);

    let passwordUserSkipped: string | undefined;
    if (options.passwordUser) {
      if (isRoot) {
        // Sessions of the password user start in its home inside this folder.
        await chmod(dir, 0o711);
        throwaway = await createThrowawayUser(dir);
      } else {
        passwordUserSkipped = 'creating a throwaway password user needs root (useradd/chpasswd)';
      }
    }
    const users = throwaway ? [user, throwaway.name] : [user];
    const password = options.passwordAuthentication ?? throwaway !== undefined;
    if (isRoot) await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // privsep chroot

    let port = 0;
    let banner = '';
    for (let attempt = 1; ; attempt++) {
      port = await findFreeLoopbackPort();
      const config = join(dir, 'sshd_config');
      await writeFile(config, sshdConfig(dir, port, users, options, password));
      const fd = openSync(log, 'a', 0o644);
      try {
        const proc = spawn(sshdPath, ['-D', '-e', '-f', config], {
          detached: true,
          stdio: ['ignore', fd, fd],
          env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' },
        });
        child = proc;
        exit = new Promise<string>((resolve) => {
          proc.once('exit', (code, signal) => resolve(`code ${code}, signal ${signal}`));
          proc.once('error', (error) => resolve(error.message));
        });
      } finally {
        closeSync(fd);
      }
      let exited: string | undefined;
      void exit.then((how) => (exited = how));
      try {
        banner = await waitFor(
          async () => {
            if (exited) throw new Error(`sshd exited during start-up (${exited})`);
            return readSshBanner(port, 1_000).catch(() => undefined);
          },
          {
            what: `sshd on 127.0.0.1:${port}`,
            timeoutMs: options.startTimeoutMs ?? 10_000,
            describeTimeout: () => logTail(),
          },
        );
        break;
      } catch (error) {
        // Someone took the port between our probe and sshd's bind: pick another.
        if (attempt < 3 && exited && /Address already in use/.test(logTail(5))) continue;
        throw error;
      }
    }

    const [hostKeyType = '', hostKeyBlob = ''] = hostPub.split(' ');
    const hostPublicKey = `${hostKeyType} ${hostKeyBlob}`;
    const knownHostsLine = `[127.0.0.1]:${port} ${hostPublicKey}`;
    const knownHostsFile = join(dir, 'known_hosts');
    await writeFile(knownHostsFile, `${knownHostsLine}\n`);
    return {
      port,
      host: '127.0.0.1',
      user,
      clientKeyPath,
      clientPublicKey,
      hostKeyType,
      hostPublicKey,
      hostKeyFingerprintSha256: fingerprintSha256(hostPublicKey),
      knownHostsLine,
      knownHostsFile,
      banner,
      ...(throwaway
        ? { passwordUser: { name: throwaway.name, password: throwaway.password } }
        : {}),
      ...(passwordUserSkipped ? { passwordUserSkipped } : {}),
      pid: child?.pid ?? 0,
      dir,
      logTail,
      stop,
    };
  } catch (error) {
    const logs = existsSync(log) ? logTail() : '(no log)';
    await stop().catch(() => undefined);
    const message = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(`Could not start a loopback sshd: ${message}\n--- sshd.log ---\n${logs}`, {
      cause: error,
    });
  }
}
