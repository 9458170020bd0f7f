import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { findExecutable } from './find-executable';
import { describeFailure, runCommand } from './run-command';
import { assertReachableByOthers, testCacheDir } from './test-cache-dir';

/** The line the tiny Linux's /init prints on ttyS0 once its shell is about to start. */
export const TINY_LINUX_READY_MARKER = 'VIRTDECK-TINY-LINUX-READY';

export interface TinyLinuxAssets {
  /** bzImage from Debian's linux-image-<version>-cloud-amd64. */
  kernel: string;
  /** gzip'd newc cpio: static BusyBox + /init. */
  initrd: string;
}

// The shell loop respawns the prompt if a test types `exit`, so PID 1 never dies (a dead
// init panics the kernel).
const INIT_SCRIPT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin HOME=/root PS1='virtdeck-tiny# '
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
hostname virtdeck-tiny
exec </dev/ttyS0 >/dev/ttyS0 2>&1
echo ${TINY_LINUX_READY_MARKER}
while true; do setsid cttyhack sh -i; done
`;

/** apt could not provide the packages (no package lists, no mirror): the guest cannot be built here. */
export class TinyLinuxUnavailableError extends Error {
  override name = 'TinyLinuxUnavailableError';
}

const KERNEL_META_PACKAGE = 'linux-image-cloud-amd64';
const APT_HINT =
  'The tiny Linux guest is built from Debian packages: run `apt-get update` (as root) so apt knows them, and make sure deb.debian.org is reachable.';

async function runApt(what: string, file: string, args: string[], cwd?: string): Promise<string> {
  const result = await runCommand(file, args, { cwd, timeoutMs: 300_000 });
  if (result.code !== 0) {
    throw new TinyLinuxUnavailableError(`${describeFailure(what, result)}\n${APT_HINT}`);
  }
  return result.stdout;
}

/** `linux-image-6.1.0-NN-cloud-amd64`, as the meta package currently depends on it. */
async function currentKernelPackage(): Promise<string> {
  const out = await runApt('apt-cache depends', findExecutable('apt-cache'), [
    'depends',
    KERNEL_META_PACKAGE,
  ]);
  const match = /Depends:\s*(linux-image-[0-9][\w.+-]*-cloud-amd64)\b/.exec(out);
  if (!match?.[1]) {
    throw new TinyLinuxUnavailableError(
      `apt-cache names no kernel for ${KERNEL_META_PACKAGE}:\n${out}\n${APT_HINT}`,
    );
  }
  return match[1];
}

async function downloadAndUnpack(pkg: string, workDir: string): Promise<string> {
  const debs = join(workDir, `${pkg}-deb`);
  const root = join(workDir, `${pkg}-root`);
  await mkdir(debs, { recursive: true });
  await runApt(`apt-get download ${pkg}`, findExecutable('apt-get'), ['download', pkg], debs);
  const deb = (await readdir(debs)).find((name) => name.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${debs}`);
  const unpacked = await runCommand(findExecutable('dpkg-deb'), ['-x', join(debs, deb), root]);
  if (unpacked.code !== 0) throw new Error(describeFailure(`dpkg-deb -x ${deb}`, unpacked));
  return root;
}

/** A static ELF has no PT_INTERP program header (no dynamic loader to ask for). */
async function isStaticElf(path: string): Promise<boolean> {
  const elf = await readFile(path).catch(() => undefined);
  if (!elf || elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) return false;
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const offset = phoff + i * phentsize;
    if (offset + 4 > elf.length) return false;
    if (elf.readUInt32LE(offset) === 3) return false;
  }
  return true;
}

async function staticBusybox(workDir: string): Promise<string> {
  // busybox-static installs /bin/busybox; the plain `busybox` package's binary is dynamic
  // and would not run alone in an initramfs.
  if (await isStaticElf('/bin/busybox')) return '/bin/busybox';
  const root = await downloadAndUnpack('busybox-static', workDir);
  const path = join(root, 'bin', 'busybox');
  if (!(await isStaticElf(path)))
    throw new Error(`${path} from busybox-static is not a static ELF`);
  return path;
}

async function listTree(root: string, dir = root): Promise<string[]> {
  const entries: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    entries.push(`./${relative(root, full)}`);
    if (entry.isDirectory()) entries.push(...(await listTree(root, full)));
  }
  return entries;
}

async function buildInitramfs(busybox: string, workDir: string, output: string): Promise<void> {
  const root = join(workDir, 'initramfs');
  for (const dir of ['bin', 'dev', 'proc', 'sys', 'tmp', 'root']) {
    await mkdir(join(root, dir), { recursive: true, mode: 0o755 });
  }
  await copyFile(busybox, join(root, 'bin', 'busybox'));
  await chmod(join(root, 'bin', 'busybox'), 0o755);
  await writeFile(join(root, 'init'), INIT_SCRIPT, { mode: 0o755 });
  const files = ['.', ...(await listTree(root))];
  // -R 0:0: files belong to root inside the guest whoever built the archive.
  const cpio = spawn(findExecutable('cpio'), ['-o', '-H', 'newc', '-R', '0:0', '--quiet'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: Buffer[] = [];
  cpio.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    cpio.once('error', reject);
    cpio.once('close', resolve);
  });
  cpio.stdin.end(`${files.join('\n')}\n`);
  await pipeline(cpio.stdout, createGzip({ level: 9 }), createWriteStream(output, { mode: 0o644 }));
  const code = await exited;
  if (code !== 0) {
    throw new Error(`cpio failed (exit ${code}): ${Buffer.concat(stderr).toString('utf8')}`);
  }
}

async function build(finalDir: string): Promise<void> {
  const cacheRoot = testCacheDir();
  await mkdir(cacheRoot, { recursive: true, mode: 0o755 });
  // Build beside the final folder, then rename: readers only ever see a complete folder,
  // and two concurrent builders cannot corrupt each other (the loser discards its copy).
  const work = await mkdtemp(join(cacheRoot, '.tiny-linux-build-'));
  try {
    const out = join(work, 'out');
    await mkdir(out, { mode: 0o755 });
    const kernelPackage = await currentKernelPackage();
    const kernelRoot = await downloadAndUnpack(kernelPackage, work);
    const vmlinuz = (await readdir(join(kernelRoot, 'boot'))).find((n) => n.startsWith('vmlinuz-'));
    if (!vmlinuz) throw new Error(`no boot/vmlinuz-* in ${kernelPackage}`);
    await copyFile(join(kernelRoot, 'boot', vmlinuz), join(out, 'vmlinuz'));
    await buildInitramfs(await staticBusybox(work), work, join(out, 'initrd.gz'));
    await writeFile(
      join(out, 'manifest.json'),
      `${JSON.stringify({ kernelPackage, vmlinuz, builtAt: new Date().toISOString() }, null, 2)}\n`,
    );
    for (const name of ['vmlinuz', 'initrd.gz', 'manifest.json'])
      await chmod(join(out, name), 0o644);
    await chmod(out, 0o755);
    try {
      await rename(out, finalDir);
    } catch (error) {
      if (!existsSync(join(finalDir, 'manifest.json'))) throw error;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

let pending: Promise<TinyLinuxAssets> | undefined;

/**
 * Kernel + initramfs of a tiny BusyBox Linux, built once into the test cache (~5 s and
 * one 27 MB download from Debian), then reused. World-readable, so a daemon running as
 * another user can boot it.
 */
export function ensureTinyLinux(): Promise<TinyLinuxAssets> {
  pending ??= (async () => {
    // The folder name pins the /init script: editing it builds a fresh initramfs.
    const version = createHash('sha256').update(INIT_SCRIPT).digest('hex').slice(0, 12);
    const finalDir = join(testCacheDir(), `tiny-linux-${version}`);
    if (!existsSync(join(finalDir, 'manifest.json'))) await build(finalDir);
    const assets = { kernel: join(finalDir, 'vmlinuz'), initrd: join(finalDir, 'initrd.gz') };
    if (process.getuid?.() === 0) {
      for (const file of Object.values(assets)) {
        assertReachableByOthers(file, 'the private libvirtd runs QEMU as an unprivileged user');
      }
    }
    return assets;
  })().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}
