import type {
  MigrateCheck,
  MigrateCheckRequest,
  MigrateDiskPlan,
  MigrateHostFacts,
  MigrateIssue,
} from '../../shared/contract/migrate';
import { documentRoot, findText, parseXml, readPool } from '../../shared/xml';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import { domainGetXml, domainIsActive, type DomainRef } from '../libvirt/facade/domain';
import {
  connectGetCapabilities,
  connectGetHostname,
  connectGetLibVersion,
  connectGetUri,
  formatLibvirtVersion,
} from '../libvirt/facade/node';
import { poolGetXml, poolList } from '../libvirt/facade/storage-pool';
import { volLookupByPath } from '../libvirt/facade/storage-volume';
import { parseUuid } from '../libvirt/facade/uuid';
import {
  VIR_CPU_COMPARE_INCOMPATIBLE,
  VIR_ERR_NO_DOMAIN,
  VIR_ERR_NO_STORAGE_VOL,
} from '../libvirt/protocol/constants.gen';
import {
  moveDiskPaths,
  readMigrationFacts,
  type MigrationDomainFacts,
} from './migration-domain-facts';

export interface CheckHost {
  connectionId: string;
  alias: string;
  client: LibvirtClient;
}

export interface MigrationCheckInput {
  request: MigrateCheckRequest;
  source: CheckHost;
  destination: CheckHost;
  dom: DomainRef;
}

/** Also what the migration itself uses: the plan behind the check. */
export interface CheckedPlan {
  check: MigrateCheck;
  facts: MigrationDomainFacts;
  /** Target → path on the destination, for disks that move folder. */
  moves: Map<string, string>;
  /** The inactive definition with the same moves (for persist-dest). */
  persistentXml: string | null;
}

async function hostFacts(host: CheckHost): Promise<MigrateHostFacts> {
  const c = host.client;
  const [caps, hostname, lib, driverUri] = await Promise.all([
    connectGetCapabilities(c),
    connectGetHostname(c),
    connectGetLibVersion(c),
    connectGetUri(c),
  ]);
  return {
    connectionId: host.connectionId,
    alias: host.alias,
    hostUuid: (findText(documentRoot(parseXml(caps)), 'host/uuid') ?? '').trim().toLowerCase(),
    hostname,
    libvirtVersion: formatLibvirtVersion(lib),
    driverUri,
  };
}

const isSession = (uri: string): boolean => /\/session(?:$|\?)/.test(uri);

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

async function destinationPools(c: LibvirtClient): Promise<Array<{ name: string; path: string }>> {
  const out: Array<{ name: string; path: string }> = [];
  for (const pool of await poolList(c)) {
    if (pool.stateName !== 'running') continue;
    const view = readPool(parseXml(await poolGetXml(c, pool)));
    if (view.type !== 'dir' && view.type !== 'fs' && view.type !== 'netfs') continue;
    if (view.targetPath) out.push({ name: pool.name, path: view.targetPath.replace(/\/+$/, '') });
  }
  return out;
}

async function existsOn(c: LibvirtClient, path: string): Promise<boolean> {
  try {
    await volLookupByPath(c, path);
    return true;
  } catch (err) {
    if (isLibvirtError(err, VIR_ERR_NO_STORAGE_VOL)) return false;
    throw err;
  }
}

/** The destination's word on the source's CPU definition; an issue or nothing. */
async function cpuIssue(
  dest: LibvirtClient,
  facts: MigrationDomainFacts,
  destAlias: string,
): Promise<{ blocker?: MigrateIssue; warning?: MigrateIssue }> {
  if (facts.cpuMode === 'host-passthrough') {
    return {
      warning: {
        code: 'cpu-host-passthrough',
        message: `The VM passes the host's CPU through: ${destAlias} needs the very same CPU model and microcode`,
      },
    };
  }
  if (!facts.cpuXml || !facts.cpuHasModel) return {};
  try {
    const { result } = await dest.remote.connectCompareHypervisorCpu({
      emulator: null,
      arch: facts.arch,
      machine: facts.machine,
      virttype: facts.domainType,
      xmlCPU: facts.cpuXml,
      flags: 0,
    });
    if (result === VIR_CPU_COMPARE_INCOMPATIBLE) {
      return {
        blocker: {
          code: 'cpu-incompatible',
          message: `${destAlias} cannot provide the VM's CPU model (libvirt's CPU comparison says incompatible)`,
        },
      };
    }
    return {};
  } catch (err) {
    const why = err instanceof Error ? err.message : 'unknown error';
    return {
      warning: {
        code: 'cpu-unchecked',
        message: `${destAlias} could not compare the VM's CPU: ${why}`,
      },
    };
  }
}

async function lookupByName(c: LibvirtClient, name: string): Promise<string | null> {
  try {
    const { dom } = await c.remote.domainLookupByName({ name });
    return dom.name;
  } catch (err) {
    if (isLibvirtError(err, VIR_ERR_NO_DOMAIN)) return null;
    throw err;
  }
}

async function lookupByUuid(c: LibvirtClient, dom: DomainRef): Promise<string | null> {
  try {
    const { dom: found } = await c.remote.domainLookupByUuid({
      uuid: parseUuid(dom.uuid),
    });
    return found.name;
  } catch (err) {
    if (isLibvirtError(err, VIR_ERR_NO_DOMAIN)) return null;
    throw err;
  }
}

/**
 * Everything libvirt (or the result) would refuse, said before anything is sent: same host,
 * session vs system, host devices, the CPU on the destination, storage, names, versions.
 * Reads only.
 */
export async function checkMigration(input: MigrationCheckInput): Promise<CheckedPlan> {
  const { request, source, destination, dom } = input;
  const src = source.client;
  const dst = destination.client;
  const blockers: MigrateIssue[] = [];
  const warnings: MigrateIssue[] = [];
  const [srcFacts, dstFacts, active] = await Promise.all([
    hostFacts(source),
    hostFacts(destination),
    domainIsActive(src, dom),
  ]);
  const mode = request.mode ?? (active ? 'live' : 'offline');
  const storage = request.storage ?? 'shared';
  const transport = request.transport ?? 'direct';
  const xml = await domainGetXml(src, dom, { migratable: true, inactive: mode === 'offline' });
  const facts = readMigrationFacts(xml);

  if (source.connectionId === destination.connectionId) {
    blockers.push({ code: 'same-connection', message: 'The destination is the source connection' });
  } else if (srcFacts.hostUuid !== '' && srcFacts.hostUuid === dstFacts.hostUuid) {
    blockers.push({
      code: 'same-host',
      message: `${source.alias} and ${destination.alias} are the same host (host UUID ${srcFacts.hostUuid}): a VM cannot migrate to the host it runs on`,
    });
  }
  const srcSession = isSession(srcFacts.driverUri);
  const dstSession = isSession(dstFacts.driverUri);
  if (srcSession !== dstSession) {
    blockers.push({
      code: 'session-system-mismatch',
      message: `${srcSession ? source.alias : destination.alias} is a session (per-user) connection and the other a system one: their VMs run as different users with different storage and networks`,
    });
  } else if (srcSession) {
    warnings.push({
      code: 'session-connection',
      message: 'Both are session (per-user) connections: migration between them is unreliable',
    });
  }
  for (const hd of facts.hostDevices) {
    blockers.push({
      code: hd.kind,
      message: `The VM uses a ${hd.description}: passed-through devices cannot migrate; remove it first`,
    });
  }
  if (mode === 'live' && !active) {
    blockers.push({
      code: 'not-running',
      message: 'Live migration needs a running VM; use offline',
    });
  }
  if (mode === 'offline' && active) {
    blockers.push({ code: 'not-shut-off', message: 'Offline migration needs the VM shut off' });
  }
  if (mode === 'offline' && storage !== 'shared') {
    blockers.push({
      code: 'offline-storage-copy',
      message:
        'libvirt copies disks only while the VM runs: offline migration moves the definition only; copy the disks yourself or choose shared storage',
    });
  }
  const cpu = await cpuIssue(dst, facts, destination.alias);
  if (cpu.blocker) blockers.push(cpu.blocker);
  if (cpu.warning) warnings.push(cpu.warning);

  const nameHolder = await lookupByName(dst, facts.name);
  const uuidHolder = await lookupByUuid(dst, dom);
  if (uuidHolder !== null) {
    blockers.push({
      code: 'uuid-in-use',
      message: `${destination.alias} already has this VM's UUID (as "${uuidHolder}")`,
    });
  } else if (nameHolder !== null) {
    blockers.push({
      code: 'name-in-use',
      message: `${destination.alias} already has a VM named "${facts.name}"`,
    });
  }
  if (dstFacts.libvirtVersion !== srcFacts.libvirtVersion) {
    const older = compareVersions(dstFacts.libvirtVersion, srcFacts.libvirtVersion) < 0;
    if (older) {
      warnings.push({
        code: 'older-libvirt-destination',
        message: `${destination.alias} runs libvirt ${dstFacts.libvirtVersion}, older than ${srcFacts.libvirtVersion} here: features the VM uses may be refused`,
      });
    }
  }
  if (transport !== 'direct') {
    warnings.push({
      code: 'peer-to-peer-reach',
      message: `${source.alias}'s libvirt daemon connects to ${destination.alias} by itself: it must reach that host's URI with its own credentials`,
    });
  }

  const pools = await destinationPools(dst);
  const chosenPool = request.destinationPool
    ? pools.find((p) => p.name === request.destinationPool)
    : undefined;
  if (request.destinationPool && !chosenPool) {
    blockers.push({
      code: 'no-destination-pool',
      message: `${destination.alias} has no running directory pool named "${request.destinationPool}"`,
    });
  }
  const moves = new Map<string, string>();
  const disks: MigrateDiskPlan[] = [];
  let copyStorageRequired = false;
  for (const disk of facts.disks) {
    const onDestination = disk.sourceType === 'volume' ? false : await existsOn(dst, disk.path);
    if (!onDestination) copyStorageRequired = true;
    let destinationPath: string | null = null;
    if (storage !== 'shared' && disk.sourceType === 'file') {
      const base = disk.path.slice(disk.path.lastIndexOf('/') + 1);
      destinationPath = chosenPool ? `${chosenPool.path}/${base}` : disk.path;
      if (destinationPath !== disk.path) moves.set(disk.target, destinationPath);
      const inPool = pools.some((p) => p.path === dirOf(destinationPath ?? ''));
      if (!inPool) {
        blockers.push({
          code: 'no-destination-pool',
          message: `${destination.alias} has no storage pool over ${dirOf(destinationPath)} to create the copy of ${disk.target} in: choose a destination pool`,
        });
      } else if (await existsOn(dst, destinationPath)) {
        blockers.push({
          code: 'disk-exists-on-destination',
          message: `${destinationPath} already exists on ${destination.alias}: copying ${disk.target} would overwrite it`,
        });
      }
    }
    disks.push({ ...disk, destinationPath, onDestination });
  }
  if (storage === 'shared' && copyStorageRequired) {
    const missing = disks
      .filter((d) => !d.onDestination)
      .map((d) => d.path)
      .join(', ');
    // Offline moves only the definition: the user may copy the disks afterwards.
    (mode === 'live' ? blockers : warnings).push({
      code: 'storage-not-shared',
      message:
        mode === 'live'
          ? `${destination.alias} does not see ${missing}: the storage is not shared; choose to copy the disks`
          : `${destination.alias} does not see ${missing}: copy the disks there before starting the VM`,
    });
  }

  const persistentXml = moveDiskPaths(
    await domainGetXml(src, dom, { migratable: true, inactive: true }),
    moves,
  );
  return {
    facts,
    moves,
    persistentXml,
    check: {
      connectionId: source.connectionId,
      uuid: dom.uuid,
      name: facts.name,
      active,
      source: srcFacts,
      destination: dstFacts,
      blockers,
      warnings,
      copyStorageRequired,
      disks,
      destinationPools: pools,
      destinationXml: moveDiskPaths(xml, moves),
    },
  };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
