import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

// Daemons live in sbin, which a normal user's PATH often lacks.
const EXTRA_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** Absolute path of a program, from PATH plus the sbin folders; a clear error if absent. */
export function findExecutable(name: string, installHint?: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  throw new Error(
    `${name} not found in PATH or ${EXTRA_DIRS.join(', ')}${installHint ? ` (${installHint})` : ''}`,
  );
}
