import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Where built test assets (tiny Linux kernel + initramfs, QEMU capability probes) are kept
 * between runs: `$VIRTDECK_TEST_CACHE`, else `~/.cache/virtdeck-test` — except for root,
 * whose home is private (0700) so the unprivileged daemon user could not read a kernel
 * there: root's default is `/var/cache/virtdeck-test`.
 */
export function testCacheDir(): string {
  const configured = process.env.VIRTDECK_TEST_CACHE;
  if (configured) return resolve(configured);
  if (process.getuid?.() === 0) return '/var/cache/virtdeck-test';
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'virtdeck-test');
}

/**
 * Throws unless every folder above `path` lets others through (o+x) and `path` itself is
 * usable by others (o+r for a file, o+x for a folder) — what a daemon running as another
 * user needs to open it.
 */
export function assertReachableByOthers(path: string, why: string): void {
  const stat = statSync(path);
  const needed = stat.isDirectory() ? 0o001 : 0o004;
  if ((stat.mode & needed) === 0) {
    throw new Error(
      `${path} is out of reach for other users (mode ${(stat.mode & 0o777).toString(8)}): ${why}`,
    );
  }
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    const dirMode = statSync(dir).mode;
    if ((dirMode & 0o001) === 0) {
      throw new Error(
        `${dir} cannot be traversed by other users (mode ${(dirMode & 0o777).toString(8)}), so ${path} is out of reach: ${why}. Point VIRTDECK_TEST_CACHE / TMPDIR at a folder others can reach.`,
      );
    }
    if (dir === dirname(dir)) return;
  }
}
