import { randomInt, randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../../../shared/contract/events';
import type { MigrateProgress } from '../../../shared/contract/migrate';
import type { LibvirtClient } from '../../../electron/libvirt/client/libvirt-client';
import {
  domainDefineXml,
  domainDestroy,
  domainIsActive,
  domainList,
  domainOpenConsole,
  domainUndefine,
  type DomainRef,
} from '../../../electron/libvirt/facade/domain';
import {
  poolDefineXml,
  poolStart,
  type StoragePoolRef,
} from '../../../electron/libvirt/facade/storage-pool';
import { volCreateXml } from '../../../electron/libvirt/facade/storage-volume';
import { MigrationService } from '../../../electron/migrate/migration-service';
import { EventHub } from '../../../electron/services/event-hub';
import type { Logger } from '../../../electron/services/logger';
import type { ConnectedHost, HostDirectory } from '../../../electron/vms/host-directory';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../../harness/private-libvirtd';
import {
  ensureTinyLinux,
  TINY_LINUX_READY_MARKER,
  TinyLinuxUnavailableError,
  tinyLinuxGuestXml,
  type TinyLinuxAssets,
} from '../../harness/test-guests';
import {
  Cleanup,
  eventually,
  openClient,
  startGuest,
  uniqueName,
} from '../libvirt/facade/facade-fixture';

export { Cleanup, eventually, uniqueName };

/** Two private daemons with their own host UUIDs: two "hosts" on this machine. */
export interface TwoHosts {
  a: PrivateLibvirtd;
  b: PrivateLibvirtd;
  /** connection id → client, as the app's connection manager would hold them. */
  clients: Map<string, { alias: string; client: LibvirtClient; uri: string }>;
  ids: { a: string; b: string };
}

export async function startTwoHosts(cleanup: Cleanup): Promise<TwoHosts> {
  const [a, b] = await Promise.all([
    startPrivateLibvirtd({ hostUuid: randomUUID(), idleTimeoutSec: 900 }),
    startPrivateLibvirtd({ hostUuid: randomUUID(), idleTimeoutSec: 900 }),
  ]);
  cleanup.add('stop daemon A', () => a.stop());
  cleanup.add('stop daemon B', () => b.stop());
  const clients: TwoHosts['clients'] = new Map();
  const ids = { a: randomUUID(), b: randomUUID() };
  clients.set(ids.a, {
    alias: 'hostA',
    client: await openClient(a.uri('qemu'), cleanup),
    uri: a.uri('qemu'),
  });
  clients.set(ids.b, {
    alias: 'hostB',
    client: await openClient(b.uri('qemu'), cleanup),
    uri: b.uri('qemu'),
  });
  return { a, b, clients, ids };
}

/** Adds one more connection (e.g. a second link to the same daemon). */
export async function addConnection(
  hosts: TwoHosts,
  alias: string,
  uri: string,
  cleanup: Cleanup,
): Promise<string> {
  const id = randomUUID();
  hosts.clients.set(id, { alias, client: await openClient(uri, cleanup), uri });
  return id;
}

/** The directory over our own clients: what the service reads of the connection layer. */
function directory(hosts: TwoHosts): HostDirectory {
  const host = (id: string): ConnectedHost | null => {
    const entry = hosts.clients.get(id);
    return entry && !entry.client.closed
      ? { connectionId: id, alias: entry.alias, client: entry.client }
      : null;
  };
  return {
    connectedHosts: () =>
      [...hosts.clients.keys()].map(host).filter((h): h is ConnectedHost => h !== null),
    host,
    alias: (id) => hosts.clients.get(id)?.alias ?? id,
    connectionIds: () => [...hosts.clients.keys()],
    onChange: () => () => undefined,
  };
}

export const quietLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export function migrationService(hosts: TwoHosts): {
  service: MigrationService;
  progress: MigrateProgress[];
} {
  const events = new EventHub(quietLogger);
  const progress: MigrateProgress[] = [];
  events.subscribe((e: EventEnvelope) => {
    if (e.name === 'vm:migrateProgress') progress.push(e.payload as MigrateProgress);
  });
  const service = new MigrationService({
    hosts: directory(hosts),
    events,
    logger: quietLogger,
    uriOf: (id) => hosts.clients.get(id)?.uri,
  });
  return { service, progress };
}

export async function tinyLinux(): Promise<{ assets: TinyLinuxAssets | null; why: string }> {
  try {
    return { assets: await ensureTinyLinux(), why: '' };
  } catch (err) {
    if (!(err instanceof TinyLinuxUnavailableError)) throw err;
    return { assets: null, why: err.message };
  }
}

/** A started dir pool at `<daemon dir>/<name>` (created by the daemon, so it owns it). */
export async function dirPool(
  c: LibvirtClient,
  daemon: PrivateLibvirtd,
  name: string,
): Promise<StoragePoolRef> {
  const pool = await poolDefineXml(
    c,
    `<pool type='dir'><name>${name}</name><target><path>${daemon.dir}/${name}</path></target></pool>`,
  );
  await poolStart(c, pool, { build: true });
  return pool;
}

/** The tiny Linux guest with one qcow2 disk (vda) in `pool`; `disk: null` → no disk. */
export async function defineTinyGuest(
  c: LibvirtClient,
  assets: TinyLinuxAssets,
  options: {
    name: string;
    pool?: { ref: StoragePoolRef; dir: string };
    extraDevices?: string;
    /** A `<cpu>` element for the definition. */
    cpu?: string;
  },
): Promise<DomainRef> {
  let disk = '';
  if (options.pool) {
    const file = `${options.name}.qcow2`;
    await volCreateXml(
      c,
      options.pool.ref,
      `<volume><name>${file}</name><capacity unit='MiB'>32</capacity><target><format type='qcow2'/></target></volume>`,
    );
    disk = `    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${options.pool.dir}/${file}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
`;
  }
  const xml = tinyLinuxGuestXml({ name: options.name, uuid: randomUUID(), ...assets })
    .replace('  </devices>', `${disk}${options.extraDevices ?? ''}  </devices>`)
    .replace('  <devices>', `${options.cpu ? `  ${options.cpu}\n` : ''}  <devices>`);
  return domainDefineXml(c, xml);
}

/** Removes the VM (by UUID) from every host that has it. */
export async function removeEverywhere(hosts: TwoHosts, uuid: string): Promise<void> {
  for (const { client } of hosts.clients.values()) {
    if (client.closed) continue;
    const there = (await domainList(client)).find((d) => d.uuid === uuid);
    if (!there) continue;
    if (await domainIsActive(client, there)) await domainDestroy(client, there);
    await domainUndefine(client, there).catch(() => undefined);
  }
}

export { startGuest };

/** Starts the guest and waits for its shell on the serial console. */
export async function bootTinyGuest(c: LibvirtClient, dom: DomainRef): Promise<DomainRef> {
  const started = await startGuest(c, dom);
  const stream = await domainOpenConsole(c, started, { force: true });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  try {
    await eventually(
      "the tiny guest's ready marker on its console",
      () =>
        text.includes(TINY_LINUX_READY_MARKER) || text.includes('virtdeck-tiny# ')
          ? true
          : undefined,
      90_000,
    );
  } finally {
    stream.end();
  }
  return started;
}

/** Types `echo <token>` on the serial console and waits for the shell's answer. */
export async function consoleAnswers(
  c: LibvirtClient,
  dom: DomainRef,
  timeoutMs = 30_000,
): Promise<string> {
  const stream = await domainOpenConsole(c, dom, { force: true });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  const token = `vd-${randomInt(1_000_000)}-alive`;
  try {
    stream.write(`echo ${token}\r`);
    await eventually(
      `"${token}" echoed on the console`,
      () => (new RegExp(`\\n${token}\\r?\\n`).test(text) ? token : undefined),
      timeoutMs,
    );
    return token;
  } finally {
    stream.end();
  }
}
