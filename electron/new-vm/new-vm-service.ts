import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ParsedInputOf } from '../../shared/contract/channels';
import type {
  NewVmCreated,
  NewVmHostInfo,
  NewVmPreview,
  NewVmProblem,
  NewVmSpec,
  OsCatalog,
  OsDetection,
} from '../../shared/contract/new-vm';
import type { PoolSummary } from '../../shared/contract/storage';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { parseUuid } from '../libvirt/facade/uuid';
import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import type { HostDirectory } from '../vms/host-directory';
import { vmActionError, vmRefusal } from '../vms/vm-action-error';
import { checkOnHost } from './checks/check-on-host';
import { checkSpecFacts } from './checks/check-spec-facts';
import { ProblemList } from './checks/problem-list';
import { buildSeedIso } from './cloud-init/seed-iso';
import { noCloudFiles } from './cloud-init/nocloud-files';
import { createNewVm, removeParts, startNewVm, type ProgressSink } from './create-new-vm';
import { installCmdline } from './domain-xml/install-cmdline';
import { gatherNewVmFacts, type NewVmFacts } from './gather-new-vm-facts';
import { fetchToBuffer } from './install-tree/fetch-to-buffer';
import { resolveInstallTree } from './install-tree/resolve-install-tree';
import { ISO_PVD_LENGTH, ISO_PVD_OFFSET, isoVolumeId, readVolumeBytes } from './iso-volume-id';
import { planNewVm, type NewVmPlan } from './new-vm-plan';
import { detectOs } from './osinfo/detect-os';
import { osinfoDir, readOsCatalog } from './osinfo/read-os-catalog';
import { readHostInfo } from './read-host-info';
import { resolveHostFile } from './resolve-host-file';
import { PendingVms } from './pending-vms';
import { InstallRebootWatch } from './install-reboot-watch';

const MAX_KERNEL_BYTES = 256 * 1024 ** 2;
const MAX_INITRD_BYTES = 1024 ** 3;

export interface NewVmServiceOptions {
  hosts: HostDirectory;
  events: EventHub;
  logger: Logger;
  /** The storage service's pool list (with free space and whether volumes can be made). */
  pools: (connectionId: string) => Promise<PoolSummary[]>;
  /** osinfo-db's folder; default VIRTDECK_OSINFO_DIR, else /usr/share/osinfo. */
  osinfoDir?: string;
}

/** The New VM wizard's work in the main process: see shared/contract/new-vm.ts. */
export class NewVmService {
  private readonly pending = new PendingVms();
  private readonly reboots: InstallRebootWatch;

  constructor(private readonly options: NewVmServiceOptions) {
    this.reboots = new InstallRebootWatch(options.events, options.hosts, options.logger);
  }

  dispose(): void {
    this.reboots.dispose();
  }

  private host(connectionId: string): { c: LibvirtClient; alias: string } {
    const host = this.options.hosts.host(connectionId);
    if (!host) throw vmRefusal(`${this.options.hosts.alias(connectionId)} is not connected`);
    return { c: host.client, alias: host.alias };
  }

  private catalog() {
    return readOsCatalog(this.options.osinfoDir ?? osinfoDir());
  }

  async osList(): Promise<OsCatalog> {
    return (await this.catalog()).catalog;
  }

  async detectOs(input: ParsedInputOf<'newVm:detectOs'>): Promise<OsDetection> {
    const { c } = this.host(input.connectionId);
    const index = await this.catalog();
    const media = input.media;
    const resolved = await resolveHostFile(c, media);
    let volumeId: string | null = null;
    if (resolved?.vol) {
      try {
        volumeId = isoVolumeId(
          await readVolumeBytes(c, resolved.vol, ISO_PVD_OFFSET, ISO_PVD_LENGTH),
        );
      } catch (error) {
        // The file name still tells a lot; the label is only the better of two guesses.
        const reason = error instanceof Error ? error.message : String(error);
        this.options.logger.warn(`Reading the ISO label failed (${reason}); detecting by name`);
      }
    }
    const fileName = media.kind === 'volume' ? media.volume : path.posix.basename(media.path);
    return detectOs(index, { volumeId, fileName });
  }

  async hostInfo(input: ParsedInputOf<'newVm:hostInfo'>): Promise<NewVmHostInfo> {
    const { c } = this.host(input.connectionId);
    const info = await readHostInfo(
      c,
      input.connectionId,
      () => this.options.pools(input.connectionId),
      {
        ...(input.arch ? { arch: input.arch } : {}),
        ...(input.machine ? { machine: input.machine } : {}),
      },
    );
    const { domainType: _t, machine: _m, loaders: _l, ...shown } = info;
    return shown;
  }

  private async facts(c: LibvirtClient, spec: NewVmSpec): Promise<NewVmFacts> {
    return gatherNewVmFacts(c, spec, await this.catalog(), () =>
      this.options.pools(spec.connectionId),
    );
  }

  private plan(
    spec: NewVmSpec,
    uuid: string,
    facts: NewVmFacts,
    seedBytes: number | null,
  ): NewVmPlan {
    return planNewVm({
      spec,
      uuid,
      os: facts.os,
      domainType: facts.host.domainType,
      machine: facts.host.machine,
      files: {
        method: facts.files.method?.resolved ?? null,
        storage: facts.files.storage?.resolved ?? null,
        driverIso: facts.files.driverIso?.resolved ?? null,
      },
      auxPool: facts.auxPool,
      seedBytes,
    });
  }

  async check(input: ParsedInputOf<'newVm:check'>): Promise<NewVmProblem[]> {
    const { c } = this.host(input.spec.connectionId);
    const facts = await this.facts(c, input.spec);
    return this.problems(
      c,
      input.spec,
      facts,
      this.plan(input.spec, randomUUID(), facts, null),
      input.step,
    );
  }

  private async problems(
    c: LibvirtClient,
    spec: NewVmSpec,
    facts: NewVmFacts,
    plan: NewVmPlan,
    step: ParsedInputOf<'newVm:check'>['step'],
  ): Promise<NewVmProblem[]> {
    const out = new ProblemList(step);
    checkSpecFacts(spec, facts, out);
    await checkOnHost(c, spec, facts, plan.volumes, out);
    return out.problems;
  }

  async preview(input: ParsedInputOf<'newVm:preview'>): Promise<NewVmPreview> {
    const { spec } = input;
    const { c } = this.host(spec.connectionId);
    const facts = await this.facts(c, spec);
    const uuid = randomUUID();
    const seed = spec.method.kind === 'cloud' ? seedImage(spec, uuid) : null;
    const plan = this.plan(spec, uuid, facts, seed?.length ?? null);
    return {
      xml: plan.xml,
      uuid,
      volumes: plan.volumes.map(({ pool, name, capacityBytes, purpose }) => ({
        pool,
        name,
        capacityBytes,
        purpose,
      })),
      problems: await this.problems(c, spec, facts, plan, 'finish'),
    };
  }

  async create(input: ParsedInputOf<'newVm:create'>): Promise<NewVmCreated> {
    const { spec, uuid, jobId } = input;
    const { c, alias } = this.host(spec.connectionId);
    const progress: ProgressSink = (p) =>
      this.options.events.emit('newVm:progress', { jobId, ...p });
    try {
      progress({ phase: 'checking' });
      const facts = await this.facts(c, spec);
      const seed = spec.method.kind === 'cloud' ? seedImage(spec, uuid) : null;
      const plan = this.plan(spec, uuid, facts, seed?.length ?? null);
      const problems = await this.problems(c, spec, facts, plan, 'finish');
      const blocking = problems.find((p) => p.severity === 'error');
      if (blocking) throw vmRefusal(blocking.message, blocking.field);
      const existing = await c.remote.domainLookupByUuid({ uuid: parseUuid(uuid) }).then(
        () => true,
        () => false,
      );
      if (existing) throw vmRefusal(`A VM with UUID ${uuid} already exists on ${alias}`, 'uuid');
      const tree = spec.method.kind === 'tree' ? await fetchTree(spec, facts, progress) : null;
      const result = await createNewVm(
        c,
        {
          plan,
          xmlInput: {
            spec,
            uuid,
            os: facts.os,
            domainType: facts.host.domainType,
            machine: facts.host.machine,
            disks: plan.disks,
          },
          uploads: {
            ...(seed ? { seed } : {}),
            ...(tree ? { kernel: tree.kernel, initrd: tree.initrd } : {}),
          },
          cmdline: tree?.cmdline ?? null,
          start: !input.customize,
        },
        progress,
      );
      if (input.customize) {
        this.pending.add(spec.connectionId, uuid, {
          parts: result.parts,
          installXml: result.installXml,
        });
      } else if (result.installXml !== null) {
        this.reboots.watch(spec.connectionId, uuid);
      }
      progress({ phase: 'done' });
      return { connectionId: spec.connectionId, uuid, name: spec.name, started: !input.customize };
    } catch (err) {
      progress({ phase: 'failed', message: err instanceof Error ? err.message : undefined });
      throw vmActionError('create', `VM ${spec.name}`, alias, err);
    }
  }

  async begin(input: ParsedInputOf<'newVm:begin'>): Promise<void> {
    const { c, alias } = this.host(input.connectionId);
    const held = this.pending.get(input.connectionId, input.uuid);
    if (!held?.parts.domain)
      throw vmRefusal('This VM is not waiting to begin its installation', 'uuid');
    try {
      await startNewVm(c, held.parts.domain, held.installXml);
    } catch (err) {
      throw vmActionError('start', `VM ${held.parts.domain.name}`, alias, err);
    }
    this.pending.delete(input.connectionId, input.uuid);
    if (held.installXml !== null) this.reboots.watch(input.connectionId, input.uuid);
  }

  async abandon(input: ParsedInputOf<'newVm:abandon'>): Promise<void> {
    const { c, alias } = this.host(input.connectionId);
    const held = this.pending.get(input.connectionId, input.uuid);
    if (!held)
      throw vmRefusal('This VM is not one the wizard is holding for customization', 'uuid');
    const failure = await removeParts(c, held.parts);
    if (failure !== null)
      throw vmActionError('remove', `VM ${held.parts.domain?.name ?? input.uuid}`, alias, failure);
    this.pending.delete(input.connectionId, input.uuid);
  }
}

/** The NoCloud seed image: instance id = the VM's UUID, so a new VM is a new instance. */
function seedImage(spec: NewVmSpec, uuid: string): Buffer {
  if (spec.method.kind !== 'cloud') throw new Error('Only cloud-image installs have a seed');
  return buildSeedIso(noCloudFiles(spec.method.cloudInit, uuid), 'cidata');
}

async function fetchTree(
  spec: NewVmSpec,
  facts: NewVmFacts,
  progress: ProgressSink,
): Promise<{ kernel: Buffer; initrd: Buffer; cmdline: string }> {
  if (spec.method.kind !== 'tree') throw new Error('Only tree installs fetch a kernel');
  const { url, kernelArgs, autoinstallUrl } = spec.method;
  const tree = await resolveInstallTree(url, { arch: spec.arch });
  const fetchOne = (what: string, u: string, maxBytes: number) =>
    fetchToBuffer(u, {
      maxBytes,
      onProgress: (done, total) =>
        progress({
          phase: 'kernel',
          message: `Downloading ${what}`,
          done,
          ...(total !== null ? { total } : {}),
        }),
    });
  const kernel = await fetchOne('the kernel', tree.kernelUrl, MAX_KERNEL_BYTES);
  const initrd = await fetchOne('the initrd', tree.initrdUrl, MAX_INITRD_BYTES);
  const { cmdline } = installCmdline({
    os: facts.os,
    treeFamily: tree.treeInfo.family,
    treeUrl: url,
    kernelArgs,
    autoinstallUrl,
  });
  return { kernel, initrd, cmdline };
}
