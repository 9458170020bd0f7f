import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { domainResume, domainUndefine, type DomainRef } from '../libvirt/facade/domain';
import { domainGetState } from '../libvirt/facade/domain-info';
import { domainRefToRemote } from '../libvirt/facade/domain-ref';
import { volDelete, type StorageVolRef } from '../libvirt/facade/storage-volume';
import type { Logger } from '../services/logger';
import type { HostDirectory } from '../vms/host-directory';

/** What a clone cut off by a dropped link may have left on its host. */
export interface CloneLeftovers {
  connectionId: string;
  source: DomainRef;
  /** The clone paused the source: it is resumed if it is still paused. */
  resume: boolean;
  /** Disks of a running source whose transient block copy may still be mirroring. */
  blockJobTargets: string[];
  volumes: StorageVolRef[];
  domain: DomainRef | null;
}

/**
 * Finishes, once the host is back, what a clone could not undo because its link dropped: a
 * paused source would otherwise stay paused and a mirror job run on with nobody to end it.
 * Only for links that dropped (the clone's client closed): a failure on a live link was
 * undone then and there, and a later reconnect must not resume a VM the user paused since.
 */
export class CloneRecovery {
  private readonly waiting: CloneLeftovers[] = [];
  private readonly stopWatching: () => void;

  constructor(
    private readonly hosts: HostDirectory,
    private readonly logger: Logger,
  ) {
    this.stopWatching = hosts.onChange((change) => {
      if (change.kind === 'removed') this.forget(change.connectionId);
      if (change.kind !== 'connected') return;
      const due = this.forget(change.host.connectionId);
      for (const left of due) void this.recover(change.host.client, left);
    });
  }

  /** Keeps leftovers for the host's next connect. */
  add(left: CloneLeftovers): void {
    this.waiting.push(left);
  }

  get pending(): number {
    return this.waiting.length;
  }

  stop(): void {
    this.stopWatching();
    this.waiting.length = 0;
  }

  private forget(connectionId: string): CloneLeftovers[] {
    const due = this.waiting.filter((l) => l.connectionId === connectionId);
    for (const l of due) this.waiting.splice(this.waiting.indexOf(l), 1);
    return due;
  }

  async recover(c: LibvirtClient, left: CloneLeftovers): Promise<void> {
    const warn = (what: string) => (err: unknown) =>
      this.logger.warn(
        `Clone recovery on reconnect: ${what}: ${err instanceof Error ? err.message : String(err)}`,
      );
    const dom = domainRefToRemote(left.source);
    for (const path of left.blockJobTargets) {
      // Without PIVOT the mirror is dropped and the VM keeps its own disk; no job: an error.
      await c.remote.domainBlockJobAbort({ dom, path, flags: 0 }).catch(() => undefined);
    }
    if (left.resume) {
      try {
        const state = await domainGetState(c, left.source);
        if (state.stateName === 'paused') await domainResume(c, left.source);
      } catch (err) {
        warn(`cannot resume ${left.source.name}`)(err);
      }
    }
    if (left.domain) {
      await domainUndefine(c, left.domain, { keepNvram: true, managedSave: true }).catch(
        warn(`cannot remove the definition of ${left.domain.name}`),
      );
    }
    for (const vol of left.volumes) {
      await volDelete(c, vol).catch(warn(`cannot remove ${vol.pool}/${vol.name}`));
    }
    this.logger.info(`Clone recovery on reconnect done for ${left.source.name}`);
  }
}
