import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { runVirsh } from '../../harness/run-virsh';
import { harness, startVmApp, testName, virsh, type VmApp } from './vm-test-support';

export interface DirPool {
  name: string;
  dir: string;
  remove(): Promise<void>;
}

/** A started dir pool under the daemon's folder (owned by the daemon user), for disks. */
export async function createDirPool(prefix = 'vd-pool'): Promise<DirPool> {
  const { name } = testName(prefix);
  const dir = `${harness().dir}/${name}`;
  await virsh(['pool-create-as', name, 'dir', '--target', dir, '--build']);
  return {
    name,
    dir,
    async remove() {
      await runVirsh(harness().qemuUri, ['pool-destroy', name]);
      // Overlays, memory and save files libvirt left there are no volumes of ours to delete.
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the set-up many integration files share: one app on the harness host, one dir
 * pool for the file, per-test clean-ups (returned for tests to push to), all removed after it.
 */
export function withHostAndPool(
  alias: string,
  poolPrefix: string,
  ready: (host: { app: VmApp; pool: DirPool }) => void,
): Array<() => Promise<void>> {
  const cleanups: Array<() => Promise<void>> = [];
  let app: VmApp | undefined;
  let pool: DirPool | undefined;
  beforeAll(async () => {
    app = await startVmApp({ alias });
    pool = await createDirPool(poolPrefix);
    ready({ app, pool });
  }, 60_000);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await pool?.remove();
    await app?.stop();
  });
  return cleanups;
}
