import { VirtDeckError } from '../../shared/contract/errors';
import type {
  MigrateCheck,
  MigrateCheckRequest,
  MigratePhase,
  MigrateProgress,
  MigrateRequest,
  MigrateResult,
} from '../../shared/contract/migrate';
import { isLibvirtError } from '../libvirt/errors';
import { domainAbortJob, type DomainRef } from '../libvirt/facade/domain';
import { migrationParams, type MigrationParams } from '../libvirt/facade/domain-migrate';
import { domainRefToRemote } from '../libvirt/facade/domain-ref';
import {
  VIR_ERR_NO_DOMAIN,
  VIR_MIGRATE_LIVE,
  VIR_MIGRATE_NON_SHARED_DISK,
  VIR_MIGRATE_NON_SHARED_INC,
  VIR_MIGRATE_OFFLINE,
  VIR_MIGRATE_PEER2PEER,
  VIR_MIGRATE_PERSIST_DEST,
  VIR_MIGRATE_TUNNELLED,
  VIR_MIGRATE_UNDEFINE_SOURCE,
} from '../libvirt/protocol/constants.gen';
import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import type { ConnectedHost, HostDirectory } from '../vms/host-directory';
import { lookupDomainByUuid } from '../vms/read-domain-facts';
import { vmActionError, vmRefusal } from '../vms/vm-action-error';
import { NO_FIGURES, readJobFigures, type JobFigures } from './job-progress';
import { runManagedMigration, type ManagedPhase } from './managed-migration';
import { checkMigration, type CheckedPlan } from './migration-check';
import { migrationAddress } from './migration-address';

const PROGRESS_INTERVAL_MS = 500;

export interface MigrationServiceOptions {
  hosts: HostDirectory;
  events: EventHub;
  logger: Logger;
  /** The saved URI of a connection: what a peer-to-peer source daemon dials. */
  uriOf(connectionId: string): string | undefined;
  /** Told when a VM moved, so lists re-read both hosts' rows at once. */
  moved?(
    from: { connectionId: string; uuid: string },
    to: { connectionId: string; uuid: string },
  ): void;
}

interface RunningJob {
  source: ConnectedHost;
  dom: DomainRef;
  cancelRequested: boolean;
}

/**
 * Migration of a VM between two connections the app holds: pre-flight checks, the
 * migration (managed through our two links by default, or handed to the source daemon
 * peer-to-peer), progress from the source's job statistics every 500 ms, and cancel.
 */
export class MigrationService {
  private readonly jobs = new Map<string, RunningJob>();

  constructor(private readonly options: MigrationServiceOptions) {}

  private host(connectionId: string): ConnectedHost {
    const host = this.options.hosts.host(connectionId);
    if (!host) throw vmRefusal(`${this.options.hosts.alias(connectionId)} is not connected`);
    return host;
  }

  private async plan(request: MigrateCheckRequest): Promise<CheckedPlan & { dom: DomainRef }> {
    const source = this.host(request.connectionId);
    const destination = this.host(request.destinationId);
    let dom: DomainRef | undefined;
    try {
      dom = await lookupDomainByUuid(source.client, request.uuid);
      const plan = await checkMigration({ request, source, destination, dom });
      return { ...plan, dom };
    } catch (err) {
      throw vmActionError('check the migration of', dom?.name ?? request.uuid, source.alias, err);
    }
  }

  async check(request: MigrateCheckRequest): Promise<MigrateCheck> {
    return (await this.plan(request)).check;
  }

  async cancel(jobId: string): Promise<{ cancelled: boolean }> {
    const job = this.jobs.get(jobId);
    if (!job) return { cancelled: false };
    job.cancelRequested = true;
    try {
      await domainAbortJob(job.source.client, job.dom);
    } catch (err) {
      throw vmActionError('cancel the migration of', job.dom.name, job.source.alias, err);
    }
    return { cancelled: true };
  }

  async migrate(request: MigrateRequest): Promise<MigrateResult> {
    if (this.jobs.has(request.jobId))
      throw vmRefusal(`Migration ${request.jobId} is already running`);
    const started = Date.now();
    const source = this.host(request.connectionId);
    const destination = this.host(request.destinationId);
    let figures: JobFigures = NO_FIGURES;
    let name = request.uuid;
    const emit = (phase: MigratePhase, error?: MigrateProgress['error']): MigrateProgress => {
      const progress: MigrateProgress = {
        jobId: request.jobId,
        connectionId: request.connectionId,
        uuid: request.uuid,
        name,
        destinationId: request.destinationId,
        phase,
        ...figures,
        elapsedMs: Math.max(figures.elapsedMs, Date.now() - started),
        ...(error ? { error } : {}),
      };
      this.options.events.emit('vm:migrateProgress', progress);
      return progress;
    };
    emit('checking');
    const plan = await this.plan(request);
    name = plan.check.name;
    if (plan.check.blockers.length > 0) {
      const refusal = vmRefusal(
        `Cannot migrate ${name} to ${destination.alias}: ${plan.check.blockers.map((b) => b.message).join('; ')}`,
      );
      emit('failed', refusal.toContractError());
      throw refusal;
    }
    const job: RunningJob = { source, dom: plan.dom, cancelRequested: false };
    this.jobs.set(request.jobId, job);
    let poll: NodeJS.Timeout | undefined;
    const sample = async (completed: boolean): Promise<void> => {
      try {
        const read = await readJobFigures(source.client, plan.dom, Date.now() - started, completed);
        if (read) figures = read;
      } catch (err) {
        // The job (or the VM) may be gone between two samples; the next phase says more.
        if (!isLibvirtError(err, VIR_ERR_NO_DOMAIN))
          this.options.logger.warn(`job stats: ${String(err)}`);
      }
    };
    let current: ManagedPhase | null = null;
    let completedRead = false;
    const onPhase = async (phase: ManagedPhase): Promise<void> => {
      current = phase;
      if (phase === 'perform' && !poll) {
        poll = setInterval(() => {
          // A sample still on its way when the next phase began must not step back.
          void sample(false).then(() => current === 'perform' && emit('perform'));
        }, PROGRESS_INTERVAL_MS);
      }
      if (phase === 'finish' || phase === 'confirm') {
        if (poll) clearInterval(poll);
        poll = undefined;
        // The finished job's figures (real downtime, totals), while the source still has it.
        if (!completedRead) await sample(true);
        completedRead = true;
      }
      emit(phase);
    };
    try {
      const moved = await this.run(request, plan, source, destination, onPhase);
      if (poll) clearInterval(poll);
      const sourceDefined = await stillDefined(source, plan.dom);
      this.options.moved?.(
        { connectionId: source.connectionId, uuid: plan.dom.uuid },
        { connectionId: destination.connectionId, uuid: moved.uuid },
      );
      const final = emit('done');
      return {
        jobId: request.jobId,
        destination: { connectionId: destination.connectionId, uuid: moved.uuid, name: moved.name },
        sourceDefined,
        elapsedMs: Date.now() - started,
        final,
      };
    } catch (err) {
      if (poll) clearInterval(poll);
      const cause = vmActionError('migrate', name, source.alias, err).toContractError();
      // libvirt's words stay; what they mean for the user's VM is said after them.
      const outcome = job.cancelRequested
        ? `cancelled: ${name} stays on ${source.alias}`
        : destination.client.closed
          ? `the connection to ${destination.alias} closed during the migration: ${name} stays on ${source.alias}`
          : null;
      const error = outcome ? { ...cause, message: `${cause.message} (${outcome})` } : cause;
      emit(job.cancelRequested ? 'cancelled' : 'failed', error);
      throw new VirtDeckError(error);
    } finally {
      this.jobs.delete(request.jobId);
    }
  }

  private async run(
    request: MigrateRequest,
    plan: CheckedPlan & { dom: DomainRef },
    source: ConnectedHost,
    destination: ConnectedHost,
    onPhase: (phase: ManagedPhase) => Promise<void>,
  ): Promise<DomainRef> {
    const mode = request.mode ?? (plan.check.active ? 'live' : 'offline');
    const transport = request.transport ?? 'direct';
    const persistent = mode === 'offline' || request.persistent !== false;
    let flags = mode === 'live' ? VIR_MIGRATE_LIVE : VIR_MIGRATE_OFFLINE;
    if (persistent) flags |= VIR_MIGRATE_PERSIST_DEST;
    if (request.undefineSource === true) flags |= VIR_MIGRATE_UNDEFINE_SOURCE;
    if (request.storage === 'copy-all') flags |= VIR_MIGRATE_NON_SHARED_DISK;
    if (request.storage === 'copy-incremental') flags |= VIR_MIGRATE_NON_SHARED_INC;

    const destXml = request.destinationXml ?? plan.check.destinationXml;
    const params: MigrationParams = { destName: plan.check.name, destXml };
    if (persistent && (plan.moves.size > 0 || request.destinationXml !== undefined)) {
      params.persistXml = request.destinationXml ?? plan.persistentXml ?? undefined;
    }
    if (request.bandwidthMiBs !== undefined && request.bandwidthMiBs > 0) {
      params.bandwidthMiBs = request.bandwidthMiBs;
    }
    if (transport !== 'tunnelled' && mode === 'live') {
      const address = migrationAddress(
        request.address,
        this.options.uriOf(destination.connectionId),
      );
      if (address) {
        params.uri = `tcp://${address.host}`;
        if (address.loopback) params.listenAddress = address.listen;
      }
    }
    if (transport === 'direct') {
      return runManagedMigration({
        source: source.client,
        destination: destination.client,
        dom: plan.dom,
        flags,
        params: migrationParams(params),
        onPhase,
      });
    }
    const destUri = this.options.uriOf(destination.connectionId);
    if (!destUri) throw vmRefusal(`No saved URI for ${destination.alias}: use direct migration`);
    flags |= VIR_MIGRATE_PEER2PEER;
    if (transport === 'tunnelled') flags |= VIR_MIGRATE_TUNNELLED;
    await onPhase('perform');
    await source.client.remote.domainMigratePerform3Params({
      dom: domainRefToRemote(plan.dom),
      dconnuri: destUri,
      params: migrationParams(params),
      cookie_in: new Uint8Array(0),
      flags: flags >>> 0,
    });
    await onPhase('confirm');
    return lookupDomainByUuid(destination.client, plan.dom.uuid);
  }
}

async function stillDefined(host: ConnectedHost, dom: DomainRef): Promise<boolean> {
  try {
    await lookupDomainByUuid(host.client, dom.uuid);
    return true;
  } catch (err) {
    if (isLibvirtError(err, VIR_ERR_NO_DOMAIN)) return false;
    throw err;
  }
}
