import { copyFile, mkdir, readFile, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { testCacheDir } from './test-cache-dir';

/**
 * libvirt probes every QEMU binary on the first QEMU call of a fresh daemon (~4 s here, two
 * binaries under TCG) and keeps the result under `$XDG_CACHE_HOME/libvirt/qemu/cache`.
 * Every private daemon starts with an empty cache, so we carry the probe results across
 * runs. libvirt itself re-validates each file (QEMU and libvirtd ctimes, versions, KVM
 * availability) and re-probes when stale, so a seeded file can never be wrong, only useless.
 */
const LIBVIRT_SUBDIR = join('libvirt', 'qemu', 'cache', 'capabilities');

function sharedDir(): string {
  return join(testCacheDir(), 'qemu-capabilities');
}

async function xmlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => /^[0-9a-f]{64}\.xml$/.test(name));
  } catch {
    return [];
  }
}

/** Copies saved probe results into a daemon's (not yet started) XDG cache folder. */
export async function seedQemuCapabilities(xdgCacheHome: string): Promise<number> {
  const files = await xmlFiles(sharedDir());
  if (files.length === 0) return 0;
  const target = join(xdgCacheHome, LIBVIRT_SUBDIR);
  await mkdir(target, { recursive: true });
  await Promise.all(files.map((name) => copyFile(join(sharedDir(), name), join(target, name))));
  return files.length;
}

/** Keeps a stopped daemon's probe results for the next run (atomic per file). */
export async function saveQemuCapabilities(xdgCacheHome: string): Promise<void> {
  const source = join(xdgCacheHome, LIBVIRT_SUBDIR);
  const files = await xmlFiles(source);
  if (files.length === 0) return;
  await mkdir(sharedDir(), { recursive: true, mode: 0o755 });
  for (const name of files) {
    const fresh = await readFile(join(source, name));
    const kept = await readFile(join(sharedDir(), name)).catch(() => undefined);
    if (kept?.equals(fresh)) continue;
    const temp = join(sharedDir(), `.${name}.${process.pid}.tmp`);
    await copyFile(join(source, name), temp);
    await rename(temp, join(sharedDir(), name));
  }
}
