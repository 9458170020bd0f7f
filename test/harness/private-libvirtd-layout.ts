import { chown, lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every folder a private daemon uses, all inside one mkdtemp folder. */
export interface PrivateLibvirtdLayout {
  dir: string;
  home: string;
  runtime: string;
  config: string;
  cache: string;
  state: string;
  data: string;
  logs: string;
  libvirtdConf: string;
  virtlogdConf: string;
  socketPath: string;
  virtlogdSocketPath: string;
  /** Where the session QEMU driver writes `<guest>.pid`. */
  qemuPidDir: string;
}

export function privateLibvirtdLayout(dir: string): PrivateLibvirtdLayout {
  const runtime = join(dir, 'run');
  const config = join(dir, 'config');
  return {
    dir,
    home: join(dir, 'home'),
    runtime,
    config,
    cache: join(dir, 'cache'),
    state: join(dir, 'state'),
    data: join(dir, 'data'),
    logs: join(dir, 'log'),
    libvirtdConf: join(config, 'libvirt', 'libvirtd.conf'),
    virtlogdConf: join(config, 'libvirt', 'virtlogd.conf'),
    socketPath: join(runtime, 'libvirt', 'libvirt-sock'),
    virtlogdSocketPath: join(runtime, 'libvirt', 'virtlogd-sock'),
    qemuPidDir: join(runtime, 'libvirt', 'qemu', 'run'),
  };
}

/** The environment both daemons start with: nothing inherited but a fixed PATH. */
export function daemonEnvironment(
  layout: PrivateLibvirtdLayout,
  userName: string,
): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C.UTF-8',
    HOME: layout.home,
    USER: userName,
    LOGNAME: userName,
    XDG_RUNTIME_DIR: layout.runtime,
    XDG_CONFIG_HOME: layout.config,
    XDG_CACHE_HOME: layout.cache,
    XDG_STATE_HOME: layout.state,
    XDG_DATA_HOME: layout.data,
  };
}

export async function writePrivateLibvirtdFiles(
  layout: PrivateLibvirtdLayout,
  hostUuid: string | undefined,
): Promise<void> {
  for (const folder of [
    layout.home,
    layout.runtime,
    join(layout.config, 'libvirt'),
    layout.cache,
    layout.state,
    layout.data,
    layout.logs,
  ]) {
    await mkdir(folder, { recursive: true, mode: 0o700 });
  }
  const header = '# Written by VirtDeck test harness for one private, unprivileged daemon.\n';
  await writeFile(
    layout.libvirtdConf,
    `${header}log_outputs = "3:stderr"\n${hostUuid ? `host_uuid = "${hostUuid}"\n` : ''}`,
  );
  await writeFile(layout.virtlogdConf, `${header}log_outputs = "3:stderr"\n`);
  // Graphics must never listen beyond loopback, whatever a test's XML forgets to say. Each
  // daemon also gets its own window of autoport/migration ports: several private daemons run
  // at once (one per test project, more in migration tests) and would otherwise all race for
  // 5900 and 49152.
  const window = randomPortWindow();
  await writeFile(
    join(layout.config, 'libvirt', 'qemu.conf'),
    [
      header.trimEnd(),
      'vnc_listen = "127.0.0.1"',
      'spice_listen = "127.0.0.1"',
      `remote_display_port_min = ${window.display}`,
      `remote_display_port_max = ${window.display + PORT_WINDOW - 1}`,
      `remote_websocket_port_min = ${window.websocket}`,
      `remote_websocket_port_max = ${window.websocket + PORT_WINDOW - 1}`,
      `migration_port_min = ${window.migration}`,
      `migration_port_max = ${window.migration + PORT_WINDOW - 1}`,
      '',
    ].join('\n'),
  );
}

const PORT_WINDOW = 64;

/** Three disjoint random port windows above 5900 and below the ephemeral range. */
function randomPortWindow(): { display: number; websocket: number; migration: number } {
  const slots = Math.floor((32000 - 5900) / (3 * PORT_WINDOW));
  const base = 5900 + Math.floor(Math.random() * slots) * 3 * PORT_WINDOW;
  return { display: base, websocket: base + PORT_WINDOW, migration: base + 2 * PORT_WINDOW };
}

/** chown -R without following symlinks (none are expected; lchown keeps it safe anyway). */
export async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  const stat = await lstat(path);
  if (stat.isDirectory()) {
    for (const entry of await readdir(path)) await chownTree(join(path, entry), uid, gid);
  }
  if (!stat.isSymbolicLink()) await chown(path, uid, gid);
}
