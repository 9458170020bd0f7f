import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startPrivateLibvirtd } from './private-libvirtd';
import { isProcessGone } from './process-control';
import './provided';

/**
 * One private libvirtd (+ virtlogd) per project run, shared by all its test files (they
 * run one at a time). Tests reach it with `inject('libvirtd')`; code that reads the
 * environment finds the socket in VIRTDECK_TEST_LIBVIRT_SOCKET.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  // A run can sit idle between files (an e2e build step, a slow file): keep the daemon
  // up for an hour of silence, yet let it die by itself if teardown never comes.
  const daemon = await startPrivateLibvirtd({ idleTimeoutSec: 3600 });
  const elapsed = Math.round(performance.now() - started);
  process.stdout.write(
    `[${project.name}] private libvirtd pid ${daemon.pid} as ${daemon.user} ready in ${elapsed} ms: ${daemon.socketPath}\n`,
  );
  project.provide('libvirtd', {
    socketPath: daemon.socketPath,
    qemuUri: daemon.uri('qemu'),
    testUri: daemon.uri('test'),
    dir: daemon.dir,
  });
  process.env.VIRTDECK_TEST_LIBVIRT_SOCKET = daemon.socketPath;
  // Workers take process.env overlaid with the project's env: set it there too, or with
  // both integration and e2e in one run each project would see the last daemon started.
  project.config.env = { ...project.config.env, VIRTDECK_TEST_LIBVIRT_SOCKET: daemon.socketPath };

  return async function teardown(): Promise<void> {
    await daemon.stop();
    const problems: string[] = [];
    for (const [name, pid] of [
      ['libvirtd', daemon.pid],
      ['virtlogd', daemon.virtlogdPid],
    ] as const) {
      if (!isProcessGone(pid)) problems.push(`${name} (pid ${pid}) is still there`);
    }
    if (existsSync(daemon.dir)) problems.push(`${daemon.dir} was not removed`);
    if (problems.length > 0) {
      throw new Error(`private libvirtd teardown incomplete: ${problems.join('; ')}`);
    }
  };
}
