import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { domainRefToRemote, type DomainRef } from '../libvirt/facade/domain-ref';
import { VIR_DOMAIN_AFFECT_LIVE } from '../libvirt/protocol/constants.gen';

/** virt-manager's period: the guest refreshes its balloon statistics every 5 s. */
export const MEMORY_STATS_PERIOD_S = 5;

/**
 * Asks the guest's balloon driver to report memory statistics (unused/usable), which the
 * memory percentage needs; a running domain reports none until a period is set. Live only,
 * so the VM's definition is not changed — virt-manager and cockpit do the same. There is no
 * facade function for it yet (DOMAIN_SET_MEMORY_STATS_PERIOD, 308), hence the direct call.
 */
export async function enableMemoryStats(c: LibvirtClient, dom: DomainRef): Promise<void> {
  await c.remote.domainSetMemoryStatsPeriod({
    dom: domainRefToRemote(dom),
    period: MEMORY_STATS_PERIOD_S,
    flags: VIR_DOMAIN_AFFECT_LIVE,
  });
}
