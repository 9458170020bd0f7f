import { randomBytes } from 'node:crypto';
import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { findExecutable } from './find-executable';
import { listProcessesOfUser, terminateProcess } from './process-control';
import { describeFailure, runCommand } from './run-command';

export interface ThrowawayUser {
  name: string;
  password: string;
  uid: number;
  home: string;
  /** Ends the account's processes (all ours: the account is minutes old) and deletes it. */
  remove(): Promise<void>;
}

/**
 * A local account with a random name and password, for password-auth SSH tests. Root
 * only: it edits /etc/passwd and /etc/shadow through useradd/chpasswd/userdel.
 */
export async function createThrowawayUser(homeParent: string): Promise<ThrowawayUser> {
  if (process.getuid?.() !== 0) throw new Error('creating a local user needs root');
  const name = `vdpw${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const home = join(homeParent, `home-${name}`);
  const added = await runCommand(findExecutable('useradd'), [
    '--user-group',
    '--no-create-home',
    '--home-dir',
    home,
    '--shell',
    '/bin/sh',
    '--comment',
    'VirtDeck test (temporary)',
    name,
  ]);
  if (added.code !== 0) throw new Error(describeFailure(`useradd ${name}`, added));

  const remove = async (): Promise<void> => {
    const id = await runCommand(findExecutable('id'), ['-u', name]);
    if (id.code !== 0) return; // already gone
    for (const pid of listProcessesOfUser(Number(id.stdout.trim()))) {
      await terminateProcess(pid, 2_000);
    }
    const deleted = await runCommand(findExecutable('userdel'), [name]);
    if (deleted.code !== 0) throw new Error(describeFailure(`userdel ${name}`, deleted));
  };

  try {
    const entry = await runCommand(findExecutable('getent'), ['passwd', name]);
    const [uid, gid] = entry.stdout.split(':').slice(2, 4).map(Number);
    if (entry.code !== 0 || uid === undefined || gid === undefined || !(uid >= 0 && gid >= 0)) {
      throw new Error(describeFailure(`getent passwd ${name}`, entry));
    }
    await mkdir(home, { mode: 0o700 });
    await chown(home, uid, gid);
    const set = await runCommand(findExecutable('chpasswd'), [], {
      input: `${name}:${password}\n`,
    });
    if (set.code !== 0) throw new Error(describeFailure(`chpasswd for ${name}`, set));
    return { name, password, uid, home, remove };
  } catch (error) {
    await remove().catch(() => undefined);
    throw error;
  }
}
