import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionNotice } from '../../shared/contract/connections';
import { chooseUnixSocket } from '../libvirt/transport/unix-transport';
import { parseLibvirtUri } from '../libvirt/uri/libvirt-uri';
import { resolveUri } from '../libvirt/uri/resolve-uri';
import { libvirtInstallHint } from './install-hint';
import { probeLibvirtSocket, type SocketProbe } from './libvirt-socket-probe';
import type { LocalLibvirtEnvironment } from './local-libvirt';
import { ensureSessionDaemon, findDaemonBinary, socketAnswers } from './session-daemon';

export interface FirstLaunchPlan {
  /** The connection to add (autoconnecting), or null when there is nothing local. */
  connection: { alias: string; uri: string; description: string } | null;
  notices: ConnectionNotice[];
}

export interface FirstLaunchOptions {
  local: LocalLibvirtEnvironment;
  /** libvirt.conf to resolve an alias in LIBVIRT_DEFAULT_URI; default libvirt's location. */
  libvirtConfPath?: string;
  probe?: (socketPath: string) => Promise<SocketProbe>;
}

const SYSTEM_SOCKETS = ['virtqemud-sock', 'libvirt-sock'];
const DAEMONS = ['virtqemud', 'libvirtd'];

/**
 * What to add when VirtDeck starts with no saved connections, so a new user sees their VMs
 * at once: LIBVIRT_DEFAULT_URI if set; else `qemu:///system` if its socket is there and
 * this user may use it; else `qemu:///session`, starting the per-user daemon as libvirt's
 * client would. With no libvirt at all, nothing is added and a notice says how to install it.
 */
export async function planFirstLaunch(options: FirstLaunchOptions): Promise<FirstLaunchPlan> {
  const { local } = options;
  const probe = options.probe ?? ((p: string) => probeLibvirtSocket(p));
  const notices: ConnectionNotice[] = [];

  const fromEnv = await defaultUriFromEnv(options, notices);
  if (fromEnv) return added(fromEnv, 'LIBVIRT_DEFAULT_URI names it', notices);

  const systemSocket = SYSTEM_SOCKETS.map((n) => path.join(local.systemSocketDir, n)).find((p) =>
    existsSync(p),
  );
  let systemProblem: string | null = null;
  if (systemSocket) {
    const result = await probe(systemSocket);
    if (result.usable) {
      return added(systemConnection(), `its system daemon answers at ${systemSocket}`, notices);
    }
    systemProblem = result.reason;
  }
  const daemons = (
    await Promise.all(DAEMONS.map((d) => findDaemonBinary(d, local.daemonDirs)))
  ).filter((d): d is string => d !== null);

  if (local.euid === 0) {
    // Root has no session daemon; libvirt never starts a system daemon by itself.
    if (!systemSocket && daemons.length === 0) return missing(local, notices);
    notices.push({
      kind: 'local-daemon-not-running',
      message: systemProblem
        ? `The system libvirt daemon does not answer: ${systemProblem}`
        : `libvirt is installed (${daemons.join(', ')}) but its system daemon is not running`,
      hint: 'sudo systemctl enable --now libvirtd.socket (or virtqemud.socket on modular installs)',
    });
    return added(systemConnection(), 'you are root', notices);
  }

  const session = parseLibvirtUri('qemu:///session');
  const sessionSocket = chooseUnixSocket(session, 'auto', false, local);
  const running = await socketAnswers(sessionSocket.path);
  if (!running && !systemSocket && daemons.length === 0) return missing(local, notices);
  const why = systemProblem
    ? `qemu:///system is not usable by you (${systemProblem})`
    : 'there is no system libvirt daemon';
  if (!running) {
    try {
      const started = await ensureSessionDaemon(session, local);
      if (started) {
        return added(
          sessionConnection(),
          `${why}; started your per-user daemon (${path.basename(started.binary)})`,
          notices,
        );
      }
    } catch (err) {
      notices.push({
        kind: 'local-daemon-start-failed',
        message: `Your per-user libvirt daemon could not be started: ${(err as Error).message}`,
      });
    }
  }
  return added(sessionConnection(), why, notices);
}

function systemConnection() {
  return { alias: 'local', uri: 'qemu:///system', description: 'This computer (QEMU/KVM)' };
}

function sessionConnection() {
  return {
    alias: 'local',
    uri: 'qemu:///session',
    description: 'This computer (QEMU/KVM user session)',
  };
}

function added(
  connection: FirstLaunchPlan['connection'] & object,
  why: string,
  notices: ConnectionNotice[],
): FirstLaunchPlan {
  notices.push({
    kind: 'local-host-added',
    message: `Added this computer as "${connection.alias}" (${connection.uri}): ${why}.`,
  });
  return { connection, notices };
}

async function missing(
  local: LocalLibvirtEnvironment,
  notices: ConnectionNotice[],
): Promise<FirstLaunchPlan> {
  notices.push({
    kind: 'local-libvirt-missing',
    message:
      'libvirt is not installed on this computer, so there are no local VMs to show. ' +
      'Install it to run VMs here, or add a connection to a remote host.',
    hint: await libvirtInstallHint(local.osReleaseFile),
  });
  return { connection: null, notices };
}

/** LIBVIRT_DEFAULT_URI, with a libvirt.conf alias expanded; a bad value is reported and skipped. */
async function defaultUriFromEnv(
  options: FirstLaunchOptions,
  notices: ConnectionNotice[],
): Promise<{ alias: string; uri: string; description: string } | null> {
  const value = options.local.env.LIBVIRT_DEFAULT_URI;
  if (!value) return null;
  try {
    const { env, euid, home } = options.local;
    const resolved = await resolveUri(value, {
      env: { ...env },
      euid,
      home,
      ...(options.libvirtConfPath ? { configPath: options.libvirtConfPath } : {}),
    });
    const parsed = parseLibvirtUri(resolved.uri);
    if (parsed.transport === 'ext') throw new Error(`the 'ext' transport is not supported`);
    const local = parsed.host === null;
    return {
      alias: local ? 'local' : 'default',
      uri: resolved.uri,
      description: local ? 'This computer (from LIBVIRT_DEFAULT_URI)' : 'From LIBVIRT_DEFAULT_URI',
    };
  } catch (err) {
    notices.push({
      kind: 'default-uri-ignored',
      message: `LIBVIRT_DEFAULT_URI=${value} was not used: ${(err as Error).message}`,
    });
    return null;
  }
}
