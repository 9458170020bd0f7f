import { randomUUID } from 'node:crypto';
import type {
  CloneDiskOutcome,
  ClonePhase,
  ClonePlan,
  CloneProgress,
  CloneResult,
  VmCloneRequest,
} from '../../shared/contract/clone';
import { VirtDeckError } from '../../shared/contract/errors';
import type { VmTarget } from '../../shared/contract/vms';
import { toContractError } from '../handlers/to-contract-error';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import {
  domainDefineXml,
  domainResume,
  domainSuspend,
  domainUndefine,
  type DomainRef,
} from '../libvirt/facade/domain';
import { volRefToRemote } from '../libvirt/facade/object-refs';
import { poolLookup } from '../libvirt/facade/storage-pool';
import { volDelete, type StorageVolRef } from '../libvirt/facade/storage-volume';
import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import type { HostDirectory } from '../vms/host-directory';
import { lookupDomainByUuid } from '../vms/read-domain-facts';
import { vmActionError, vmRefusal } from '../vms/vm-action-error';
import { cloneDomainXml, interfaceCount, type CloneDiskRewrite } from './clone-domain-xml';
import { freeMac } from './clone-names';
import { planCloneDisks, type PlannedCopy } from './clone-disk-choices';
import { CloneRecovery } from './clone-recovery';
import { readCloneSource, type CloneSource } from './clone-source';
import { CloneCancelled, copyLive, copyOffline } from './disk-copy';
import { copyNvram, type NvramCopy } from './nvram-copy';

const PROGRESS_MS = 300;

interface Job {
  cancelled: boolean;
  progress: CloneProgress;
  lastEmit: number;
}

/** What a clone made so far: all of it is removed again if the clone fails. */
interface Made {
  volumes: StorageVolRef[];
  nvram: NvramCopy | null;
  domain: DomainRef | null;
  /** The source was paused for the copies and could not be resumed yet. */
  resumePending: boolean;
}

/**
 * Clones VMs on their own host (see shared/contract/clone.ts). Disks are copied one after
 * the other; a running source is paused for the copies and resumed afterwards, whatever
 * happens. Every refusal (name taken, disk not copyable, not enough space) comes before
 * anything is made.
 */
export class CloneService {
  private readonly jobs = new Map<string, Job>();
  private readonly recovery: CloneRecovery;

  constructor(
    private readonly options: { hosts: HostDirectory; events: EventHub; logger: Logger },
  ) {
    this.recovery = new CloneRecovery(options.hosts, options.logger);
  }

  /** Leftovers of clones whose link dropped, waiting for their host to come back. */
  get pendingRecoveries(): number {
    return this.recovery.pending;
  }

  dispose(): void {
    this.recovery.stop();
  }

  private host(connectionId: string): { c: LibvirtClient; alias: string } {
    const host = this.options.hosts.host(connectionId);
    if (!host) throw vmRefusal(`${this.options.hosts.alias(connectionId)} is not connected`);
    return { c: host.client, alias: host.alias };
  }

  private async source(target: VmTarget, verb: string): Promise<CloneSource & { dom: DomainRef }> {
    const { c, alias } = this.host(target.connectionId);
    let name = `VM ${target.uuid}`;
    try {
      const dom = await lookupDomainByUuid(c, target.uuid);
      name = dom.name;
      return {
        ...(await readCloneSource(c, dom, { connectionId: target.connectionId, alias })),
        dom,
      };
    } catch (err) {
      throw vmActionError(verb, name, alias, err);
    }
  }

  async plan(target: VmTarget): Promise<ClonePlan> {
    return (await this.source(target, 'plan a clone of')).plan;
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.jobs.get(jobId);
    if (!job) return { cancelled: false };
    job.cancelled = true;
    this.emit(job, { cancelling: true }, true);
    return { cancelled: true };
  }

  private emit(job: Job, patch: Partial<CloneProgress>, force = false): void {
    job.progress = { ...job.progress, ...patch };
    const now = Date.now();
    if (!force && now - job.lastEmit < PROGRESS_MS) return;
    job.lastEmit = now;
    this.options.events.emit('clone:progress', job.progress);
  }

  private phase(job: Job, phase: ClonePhase, disk: string | null = null): void {
    this.emit(job, { phase, disk }, true);
  }

  async clone(request: VmCloneRequest): Promise<CloneResult> {
    if (this.jobs.has(request.jobId)) throw vmRefusal('This clone job is already running', 'jobId');
    const src = await this.source(request, 'clone');
    const { c, alias } = this.host(request.connectionId);
    const copies = planCloneDisks(src, request);
    const job: Job = {
      cancelled: false,
      lastEmit: 0,
      progress: {
        jobId: request.jobId,
        connectionId: request.connectionId,
        uuid: request.uuid,
        phase: 'preparing',
        disk: null,
        bytes: 0,
        total: copies.reduce((sum, p) => sum + (p.copy ? p.copy.expectedBytes : 0), 0),
        cancelling: false,
      },
    };
    this.jobs.set(request.jobId, job);
    this.phase(job, 'preparing');
    const made: Made = { volumes: [], nvram: null, domain: null, resumePending: false };
    const notes: string[] = [];
    try {
      const result = await this.run(c, src, request, copies, job, made, notes);
      this.phase(job, 'done');
      return result;
    } catch (err) {
      this.phase(job, 'cleaning-up');
      if (c.closed) {
        // The link dropped: nothing can be undone now; it is when the host is back.
        this.recovery.add({
          connectionId: request.connectionId,
          source: src.dom,
          resume: made.resumePending,
          blockJobTargets: src.active ? copies.map((p) => p.disk.target) : [],
          volumes: made.volumes,
          domain: made.domain,
        });
        this.phase(job, 'done');
        const failed = toContractError(
          vmActionError(`clone ${src.dom.name} as`, request.name, alias, err),
        );
        throw new VirtDeckError({
          ...failed,
          message: `${failed.message} (the link dropped: once ${alias} is back, ${made.resumePending ? `${src.dom.name} is resumed and ` : ''}what the clone made is removed)`,
        });
      }
      await this.undo(c, made);
      this.phase(job, 'done');
      if (err instanceof CloneCancelled) {
        throw vmRefusal(`The clone of ${src.dom.name} was cancelled; nothing of it was kept`);
      }
      throw vmActionError(`clone ${src.dom.name} as`, request.name, alias, err);
    } finally {
      await made.nvram?.release();
      this.jobs.delete(request.jobId);
    }
  }

  private async run(
    c: LibvirtClient,
    src: CloneSource & { dom: DomainRef },
    request: VmCloneRequest,
    copies: PlannedCopy[],
    job: Job,
    made: Made,
    notes: string[],
  ): Promise<CloneResult> {
    const toCopy = copies.filter((p) => p.copy !== null);
    const pause = src.active && !src.paused && (toCopy.length > 0 || src.plan.nvram !== null);
    const outcomes: CloneDiskOutcome[] = [];
    const rewrites = new Map<string, CloneDiskRewrite>();
    let nvramCopied: boolean | null = null;
    let nvramPath: string | null = null;
    if (pause) await domainSuspend(c, src.dom);
    try {
      let before = 0;
      for (const p of copies) {
        if (job.cancelled) throw new CloneCancelled();
        if (!p.copy) {
          outcomes.push({
            target: p.disk.target,
            action: p.action,
            path: p.action === 'share' ? p.disk.path : null,
            pool: p.action === 'share' ? p.disk.pool : null,
            volume: p.action === 'share' ? p.disk.volume : null,
          });
          rewrites.set(p.disk.target, { kind: p.action === 'share' ? 'keep' : 'drop' });
          continue;
        }
        const copy = p.copy;
        this.phase(job, 'copying', p.disk.target);
        let diskTotal = copy.expectedBytes;
        const req = {
          source: copy.source,
          pool: await poolLookup(c, copy.pool),
          name: copy.volume,
          cancelled: () => job.cancelled,
          onCreated: (vol: StorageVolRef) => made.volumes.push(vol),
          onProgress: (bytes: number, total?: number) => {
            if (total !== undefined && total > 0 && total !== diskTotal) {
              job.progress.total += total - diskTotal;
              diskTotal = total;
            }
            this.emit(job, { bytes: before + Math.min(bytes, diskTotal) });
          },
        };
        const vol = src.active
          ? await copyLive(c, src.dom, p.disk.target, req)
          : await copyOffline(c, req);
        before += diskTotal;
        this.emit(job, { bytes: before }, true);
        const path = (await c.remote.storageVolGetPath({ vol: volRefToRemote(vol) })).name;
        rewrites.set(
          p.disk.target,
          p.sourceType === 'volume'
            ? { kind: 'volume', pool: vol.pool, volume: vol.name }
            : p.sourceType === 'block'
              ? { kind: 'block', dev: path }
              : { kind: 'file', file: path },
        );
        outcomes.push({
          target: p.disk.target,
          action: 'clone',
          path,
          pool: vol.pool,
          volume: vol.name,
        });
      }
      if (src.plan.nvram) {
        if (job.cancelled) throw new CloneCancelled();
        try {
          made.nvram = await copyNvram(c, src.plan.nvram.path, request.name);
          nvramPath = made.nvram.path;
          nvramCopied = true;
        } catch (err) {
          nvramCopied = false;
          notes.push(
            `The EFI variables were not copied (${err instanceof Error ? err.message : String(err)}): libvirt gives the clone a fresh store from the firmware's template on its first start.`,
          );
        }
      }
    } finally {
      if (pause) {
        await domainResume(c, src.dom).catch((err: unknown) => {
          made.resumePending = true;
          this.options.logger.warn(`Cannot resume ${src.dom.name} after cloning: ${String(err)}`);
          notes.push(`${src.dom.name} could not be resumed; resume it by hand.`);
        });
      }
    }
    if (job.cancelled) throw new CloneCancelled();
    this.phase(job, 'defining');
    const taken = new Set(src.takenMacs);
    const macs = Array.from({ length: interfaceCount(src.xml) }, () => {
      const mac = freeMac(taken);
      taken.add(mac);
      return mac;
    });
    const uuid = randomUUID();
    const xml = cloneDomainXml(src.xml, {
      name: request.name,
      uuid,
      macs,
      disks: rewrites,
      nvramPath,
    });
    made.domain = await domainDefineXml(c, xml);
    if (pause) notes.push(`${src.dom.name} was paused while its disks were copied and runs again.`);
    return {
      connectionId: request.connectionId,
      uuid: made.domain.uuid,
      name: made.domain.name,
      sourceUuid: src.dom.uuid,
      disks: outcomes,
      nvramCopied,
      macs,
      notes,
    };
  }

  /** Removes what a failed clone made: the definition, the variable store, every volume. */
  private async undo(c: LibvirtClient, made: Made): Promise<void> {
    const warn = (what: string) => (err: unknown) =>
      this.options.logger.warn(`Clone clean-up: cannot remove ${what}: ${String(err)}`);
    if (made.domain) {
      await domainUndefine(c, made.domain, { keepNvram: true, managedSave: true }).catch(
        warn(`the definition of ${made.domain.name}`),
      );
    }
    if (made.nvram) await made.nvram.remove().catch(warn('the copied EFI variables'));
    for (const vol of made.volumes) {
      await volDelete(c, vol).catch(warn(`the volume ${vol.pool}/${vol.name}`));
    }
  }
}
