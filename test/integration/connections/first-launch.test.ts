import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConnectionList } from '../../../shared/contract/connections';
import { planFirstLaunch } from '../../../electron/connections/first-launch';
import {
  defaultLocalLibvirtEnvironment,
  type LocalLibvirtEnvironment,
  type SpawnDaemon,
} from '../../../electron/connections/local-libvirt';
import { domainList } from '../../../electron/libvirt/facade/domain';
import { chownTree } from '../../harness/private-libvirtd-layout';
import { resolveDaemonUser } from '../../harness/daemon-user';
import { terminateProcess } from '../../harness/process-control';
import { seedQemuCapabilities } from '../../harness/qemu-capabilities-cache';
import { startApp, type AppUnderTest } from './connection-test-support';

/**
 * Each first-launch branch against real sockets: the harness daemon stands in for the
 * system or the per-user daemon (its socket linked where libvirt would look), and one case
 * really starts a per-user libvirtd, as libvirt's client does.
 */
const libvirtd = inject('libvirtd');
let scratch = '';
const apps: AppUnderTest[] = [];
const started: number[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'vd-first-launch-'));
  await chmod(scratch, 0o711);
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
  await Promise.all(started.splice(0).map((pid) => terminateProcess(pid, 5_000)));
});

afterAll(() => rm(scratch, { recursive: true, force: true }));

let counter = 0;
/** A fresh "machine": empty system socket folder, runtime folder and daemon folder. */
async function machine(overrides: Partial<LocalLibvirtEnvironment> = {}) {
  const root = path.join(scratch, `m${++counter}`);
  const dirs = {
    system: path.join(root, 'var-run-libvirt'),
    runtime: path.join(root, 'run'),
    sessionSockets: path.join(root, 'run', 'libvirt'),
    home: path.join(root, 'home'),
    bin: path.join(root, 'sbin'),
  };
  for (const d of Object.values(dirs)) await mkdir(d, { recursive: true });
  await writeFile(path.join(root, 'os-release'), 'NAME="Debian GNU/Linux"\nID=debian\n');
  const local: LocalLibvirtEnvironment = {
    ...defaultLocalLibvirtEnvironment(),
    euid: 1000,
    env: { PATH: process.env.PATH, XDG_RUNTIME_DIR: dirs.runtime },
    home: dirs.home,
    systemSocketDir: dirs.system,
    daemonDirs: [dirs.bin],
    osReleaseFile: path.join(root, 'os-release'),
    spawnDaemon: () => {
      throw new Error('no daemon may be started in this case');
    },
    ...overrides,
  };
  return { root, dirs, local };
}

async function fakeBinary(dir: string, name: string): Promise<void> {
  await writeFile(path.join(dir, name), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
}

describe('planFirstLaunch', () => {
  it('takes LIBVIRT_DEFAULT_URI, expanding a libvirt.conf alias', async () => {
    const { root, local } = await machine();
    const conf = path.join(root, 'libvirt.conf');
    await writeFile(conf, `uri_aliases = [ "mine=${libvirtd.testUri}" ]\n`);
    const plan = await planFirstLaunch({
      local: { ...local, env: { ...local.env, LIBVIRT_DEFAULT_URI: 'mine' } },
      libvirtConfPath: conf,
    });
    expect(plan.connection).toEqual({
      alias: 'local',
      uri: libvirtd.testUri,
      description: 'This computer (from LIBVIRT_DEFAULT_URI)',
    });
    const bad = await planFirstLaunch({
      local: { ...local, env: { ...local.env, LIBVIRT_DEFAULT_URI: 'qemu://system' } },
      libvirtConfPath: conf,
    });
    expect(bad.notices[0]).toMatchObject({
      kind: 'default-uri-ignored',
      message: expect.stringContaining('maybe you want qemu:///system'),
    });
  });

  it('adds qemu:///system when its socket answers and this user may use it', async () => {
    const { dirs, local } = await machine();
    await symlink(libvirtd.socketPath, path.join(dirs.system, 'libvirt-sock'));
    const plan = await planFirstLaunch({ local });
    expect(plan.connection?.uri).toBe('qemu:///system');
    expect(plan.notices).toEqual([
      {
        kind: 'local-host-added',
        message: `Added this computer as "local" (qemu:///system): its system daemon answers at ${path.join(dirs.system, 'libvirt-sock')}.`,
      },
    ]);
  });

  it('falls back to the session when the system socket is unusable, saying why', async () => {
    const { dirs, local } = await machine();
    await writeFile(path.join(dirs.system, 'libvirt-sock'), 'not a socket');
    await symlink(libvirtd.socketPath, path.join(dirs.sessionSockets, 'libvirt-sock'));
    const plan = await planFirstLaunch({ local });
    expect(plan.connection?.uri).toBe('qemu:///session');
    expect(plan.notices[0]?.message).toMatch(
      /qemu:\/\/\/system is not usable by you \(Failed to connect socket to .*Connection refused\)/,
    );
  });

  it('with LIBVIRT_AUTOSTART=0 adds the session without starting anything', async () => {
    const { dirs, local } = await machine();
    await fakeBinary(dirs.bin, 'libvirtd');
    const plan = await planFirstLaunch({
      local: { ...local, env: { ...local.env, LIBVIRT_AUTOSTART: '0' } },
    });
    expect(plan.connection?.uri).toBe('qemu:///session');
  });

  it('as root with libvirt installed but no daemon running: qemu:///system and how to start it', async () => {
    const { dirs, local } = await machine({ euid: 0 });
    await fakeBinary(dirs.bin, 'libvirtd');
    const plan = await planFirstLaunch({ local });
    expect(plan.connection?.uri).toBe('qemu:///system');
    expect(plan.notices.map((n) => n.kind)).toEqual([
      'local-daemon-not-running',
      'local-host-added',
    ]);
    expect(plan.notices[0]?.hint).toMatch(/systemctl enable --now libvirtd\.socket/);
  });

  it('reports a failed daemon start and still adds the session', async () => {
    const { dirs, local } = await machine({
      daemonStartTimeoutMs: 5_000,
      spawnDaemon: (binary, args, env) => {
        const child = spawn(binary, [...args], { env: { ...env }, stdio: 'ignore' });
        return {
          pid: child.pid,
          exited: new Promise((resolve) =>
            child.once('exit', (code) => resolve(`exited with code ${code}`)),
          ),
        };
      },
    });
    await fakeBinary(dirs.bin, 'libvirtd');
    const plan = await planFirstLaunch({ local });
    expect(plan.connection?.uri).toBe('qemu:///session');
    expect(plan.notices[0]).toMatchObject({
      kind: 'local-daemon-start-failed',
      message: expect.stringContaining(
        `Started ${path.join(dirs.bin, 'libvirtd')} --timeout=120 for the per-user daemon, but it exited with code 1`,
      ),
    });
  });
});

describe('first launch through the app', () => {
  it('no libvirt at all: nothing added, nothing written, a notice with the install command', async () => {
    const { local } = await machine();
    const a = await startApp({ connections: { firstLaunch: true, local } });
    apps.push(a);
    const list = await a.ok<ConnectionList>('connection:list', {});
    expect(list.connections).toEqual([]);
    expect(list.notices).toEqual([
      {
        kind: 'local-libvirt-missing',
        message: expect.stringContaining('libvirt is not installed on this computer'),
        hint: 'sudo apt install libvirt-daemon-system qemu-system-x86 && sudo adduser "$USER" libvirt',
      },
    ]);
    expect(existsSync(path.join(a.configDir, 'connections.json'))).toBe(false);
  });

  it('a session socket that answers: added as "local", autoconnected, VMs listed', async () => {
    const { dirs, local } = await machine();
    await symlink(libvirtd.socketPath, path.join(dirs.sessionSockets, 'libvirt-sock'));
    const a = await startApp({ connections: { firstLaunch: true, local } });
    apps.push(a);
    await a.services.connections.autoconnectSettled();
    const list = await a.ok<ConnectionList>('connection:list', {});
    expect(list.connections).toEqual([
      {
        connection: expect.objectContaining({
          alias: 'local',
          uri: 'qemu:///session',
          autoconnect: true,
          origin: 'first-launch',
        }),
        state: { status: 'connected', since: expect.any(Number) },
        prompt: null,
      },
    ]);
    const id = list.connections[0]?.connection.id ?? '';
    const client = a.services.connections.client(id);
    expect(client && Array.isArray(await domainList(client))).toBe(true);
    // The second start has a file: first launch does not run again.
    const again = await startApp({
      configDir: a.configDir,
      connections: { firstLaunch: true, local },
    });
    apps.push(again);
    expect((await again.ok<ConnectionList>('connection:list', {})).notices).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'no session socket: starts the per-user libvirtd like libvirt’s client, then connects to it',
    async () => {
      const user = await resolveDaemonUser();
      const spawned: Array<{
        binary: string;
        args: readonly string[];
        env: Record<string, string>;
      }> = [];
      // Root may only start a *per-user* daemon as that user: a root libvirtd would be the system one.
      const asDaemonUser: SpawnDaemon = (binary, args, env) => {
        spawned.push({ binary, args, env: { ...env } });
        const child = spawn(binary, [...args], {
          env: { ...env },
          stdio: 'ignore',
          detached: true,
          uid: user.uid,
          gid: user.gid,
        });
        if (child.pid) started.push(child.pid);
        return {
          pid: child.pid,
          exited: new Promise((resolve) =>
            child.once('exit', (code, signal) => resolve(`exited (${code ?? signal})`)),
          ),
        };
      };
      const { root, dirs, local } = await machine({
        spawnDaemon: asDaemonUser,
        daemonDirs: ['/usr/sbin'],
      });
      const env = {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        HOME: dirs.home,
        XDG_RUNTIME_DIR: dirs.runtime,
        XDG_CONFIG_HOME: path.join(root, 'config'),
        XDG_CACHE_HOME: path.join(root, 'cache'),
      };
      await mkdir(env.XDG_CONFIG_HOME);
      await mkdir(env.XDG_CACHE_HOME);
      await seedQemuCapabilities(env.XDG_CACHE_HOME);
      await chownTree(root, user.uid, user.gid);
      await chmod(root, 0o711);

      const a = await startApp({ connections: { firstLaunch: true, local: { ...local, env } } });
      apps.push(a);
      await a.services.connections.autoconnectSettled();
      const list = await a.ok<ConnectionList>('connection:list', {});
      expect(spawned).toEqual([{ binary: '/usr/sbin/libvirtd', args: ['--timeout=120'], env }]);
      expect(list.notices).toEqual([
        {
          kind: 'local-host-added',
          message:
            'Added this computer as "local" (qemu:///session): there is no system libvirt daemon; started your per-user daemon (libvirtd).',
        },
      ]);
      const entry = list.connections[0];
      expect(entry?.state.status).toBe('connected');
      const client = a.services.connections.client(entry?.connection.id ?? '');
      expect(client?.driverUri).toBe('qemu:///session');
      expect(existsSync(path.join(dirs.sessionSockets, 'libvirt-sock'))).toBe(true);
    },
    90_000,
  );
});
