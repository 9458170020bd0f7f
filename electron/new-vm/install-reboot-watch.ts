import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import type { HostDirectory } from '../vms/host-directory';
import { domainLookup, domainStart } from '../libvirt/facade/domain';

/**
 * A tree install boots the installer's kernel with `on_reboot` destroy: when the installer
 * reboots, the VM stops. We then start it once more, now from its persistent definition
 * (no kernel boot), so the installed system boots — what virt-install does while it waits.
 * Follows the VM service's 'vm:changed' events; a watch ends at that first stop.
 */
export class InstallRebootWatch {
  private readonly watched = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(
    events: EventHub,
    private readonly hosts: HostDirectory,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = events.subscribe((event) => {
      if (event.name !== 'vm:changed') return;
      const { connectionId, uuid, patch } = event.payload as {
        connectionId: string;
        uuid: string;
        patch: { state?: string };
      };
      const k = `${connectionId}/${uuid}`;
      if (patch.state !== 'shutoff' || !this.watched.delete(k)) return;
      void this.restart(connectionId, uuid);
    });
  }

  watch(connectionId: string, uuid: string): void {
    this.watched.add(`${connectionId}/${uuid.toLowerCase()}`);
  }

  dispose(): void {
    this.unsubscribe();
    this.watched.clear();
  }

  private async restart(connectionId: string, uuid: string): Promise<void> {
    const host = this.hosts.host(connectionId);
    if (!host) return;
    try {
      await domainStart(host.client, await domainLookup(host.client, uuid));
    } catch (err) {
      this.logger.error(`Starting ${uuid} after its installer's reboot failed`, err);
    }
  }
}
