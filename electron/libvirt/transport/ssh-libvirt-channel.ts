import type { Duplex } from 'node:stream';
import { ExecChannelStream } from '../../ssh/exec-channel-stream';
import type { ExecFailure } from '../../ssh/exec-channel-stream';
import { SshError } from '../../ssh/ssh-error';
import type { SshSession } from '../../ssh/ssh-session';
import { LIBVIRT_PROBE_COMMAND, chooseRemoteSocket, parseLibvirtProbe } from './ssh-libvirt-probe';
import type { LibvirtProbe } from './ssh-libvirt-probe';
import { buildRemoteCommand, validateSocketPath } from './ssh-remote-command';
import type { RemoteDaemonSpec } from './ssh-remote-command';

export interface LibvirtChannel {
  stream: Duplex;
  /** e.g. "streamlocal /var/run/libvirt/libvirt-sock" or "exec nc -U …". */
  label: string;
}

const PROBE_TIMEOUT_MS = 10_000;
const PROBE_OUTPUT_LIMIT = 64 * 1024;
/**
 * Sockets a session's server would not open as streamlocal: later channels on that
 * session go straight to exec instead of paying a refused round trip each time.
 */
const streamLocalFailed = new WeakMap<SshSession, Set<string>>();

/**
 * Opens the byte channel to the remote libvirt daemon on an authenticated session:
 * streamlocal straight to the daemon's socket when allowed and known (about 5 ms for three
 * RPCs instead of 600+ ms of remote shell and helper start-up), else libvirt's own exec
 * command. Every value that reaches a remote command is validated and quoted.
 */
export async function openLibvirtChannel(
  session: SshSession,
  remote: RemoteDaemonSpec,
): Promise<LibvirtChannel> {
  // Build (and so validate) the exec form first: bad input fails before any channel opens.
  const exec = buildRemoteCommand(remote);
  const explicitSocket =
    remote.socket === undefined ? undefined : validateSocketPath(remote.socket);
  const preference = remote.channel ?? 'auto';
  const tryStreamLocal =
    preference === 'streamlocal' || (preference === 'auto' && (remote.proxy ?? 'auto') === 'auto');

  if (tryStreamLocal) {
    const socket = explicitSocket ?? (await findSocket(session, remote));
    if (socket === null) {
      if (preference === 'streamlocal') {
        throw new SshError(
          'channel-refused',
          `No libvirt socket for ${remote.driverUri} was found on ${session.description}; give socket=`,
        );
      }
    } else if (preference === 'streamlocal' || !streamLocalFailed.get(session)?.has(socket)) {
      try {
        return { stream: await session.openStreamLocal(socket), label: `streamlocal ${socket}` };
      } catch (err) {
        if (
          preference === 'streamlocal' ||
          !(err instanceof SshError) ||
          err.reason !== 'channel-refused'
        ) {
          throw err;
        }
        const failed = streamLocalFailed.get(session) ?? new Set<string>();
        failed.add(socket);
        streamLocalFailed.set(session, failed);
      }
    }
  }

  const channel = await session.exec(exec.command);
  const explain = (f: ExecFailure): Error =>
    new SshError(
      'remote-command',
      `The libvirt tunnel command (${exec.label}) on ${session.description} ended before the ` +
        `daemon answered (${exitText(f)})${f.stderr ? `: ${f.stderr}` : ''}`,
    );
  return { stream: new ExecChannelStream(channel, explain), label: `exec ${exec.label}` };
}

async function findSocket(session: SshSession, remote: RemoteDaemonSpec): Promise<string | null> {
  let probe: LibvirtProbe;
  try {
    probe = await session.memo('libvirt-probe', () => runProbe(session));
  } catch {
    // A server that will not run the probe may still run the tunnel command.
    return null;
  }
  return chooseRemoteSocket(remote, probe);
}

async function runProbe(session: SshSession): Promise<LibvirtProbe> {
  const channel = await session.exec(LIBVIRT_PROBE_COMMAND);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      channel.close();
      reject(new SshError('timeout', `libvirt probe on ${session.description} did not finish`));
    }, PROBE_TIMEOUT_MS);
    channel.on('data', (chunk: Buffer) => {
      if (output.length < PROBE_OUTPUT_LIMIT) output += chunk.toString('utf8');
    });
    channel.stderr.resume();
    channel.on('close', () => {
      clearTimeout(timer);
      resolve(parseLibvirtProbe(output));
    });
  });
}

function exitText(f: ExecFailure): string {
  if (f.signal) return `killed by signal ${f.signal}`;
  if (f.exitCode !== null) return `exit status ${f.exitCode}`;
  return 'no exit status';
}
