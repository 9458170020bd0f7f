import { userInfo } from 'node:os';
import { findExecutable } from './find-executable';
import { describeFailure, runCommand } from './run-command';

export interface DaemonUser {
  name: string;
  uid: number;
  gid: number;
  /** True when the harness runs as root and must drop to this user when spawning. */
  switchUser: boolean;
  /** Why this user was chosen, when it is not the preferred one. */
  note?: string;
}

const DEDICATED_USER = 'virtdeck-test';
const FALLBACK_USER = 'nobody';

async function lookupUser(name: string): Promise<{ uid: number; gid: number } | undefined> {
  const result = await runCommand(findExecutable('getent'), ['passwd', name]);
  if (result.code !== 0) return undefined;
  const fields = result.stdout.trim().split(':');
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
}

async function resolveAsRoot(): Promise<DaemonUser> {
  const existing = await lookupUser(DEDICATED_USER);
  if (existing) return { name: DEDICATED_USER, ...existing, switchUser: true };
  const created = await runCommand(findExecutable('useradd'), [
    '--system',
    '--user-group',
    '--no-create-home',
    '--home-dir',
    '/nonexistent',
    '--shell',
    '/usr/sbin/nologin',
    '--comment',
    'VirtDeck test daemons',
    DEDICATED_USER,
  ]);
  // Exit 9 = "already exists": another test process created it meanwhile.
  const afterCreate = await lookupUser(DEDICATED_USER);
  if (afterCreate) return { name: DEDICATED_USER, ...afterCreate, switchUser: true };
  const fallback = await lookupUser(FALLBACK_USER);
  if (!fallback) {
    throw new Error(
      `${describeFailure(`useradd ${DEDICATED_USER}`, created)}\nand user ${FALLBACK_USER} does not exist either`,
    );
  }
  return {
    name: FALLBACK_USER,
    ...fallback,
    switchUser: true,
    note: describeFailure(`useradd ${DEDICATED_USER}`, created),
  };
}

let cached: Promise<DaemonUser> | undefined;

/**
 * The user private daemons run as. A libvirtd started as root ignores the XDG folders and
 * becomes the system daemon, so root must hand the daemons to an unprivileged account;
 * a normal user runs them as itself.
 */
export function resolveDaemonUser(): Promise<DaemonUser> {
  if (process.getuid?.() !== 0) {
    const me = userInfo();
    return Promise.resolve({ name: me.username, uid: me.uid, gid: me.gid, switchUser: false });
  }
  cached ??= resolveAsRoot().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
