import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { domainLookup, type DomainRef } from '../libvirt/facade/domain';
import { describeFailure } from './vdctl-errors';

/**
 * A domain by ID, UUID or name, failing the way virsh does ("failed to get domain 'x'")
 * followed by libvirt's own reason, which virsh 9 swallows for domains but we keep.
 */
export function lookupDomain(c: LibvirtClient, nameOrUuidOrId: string): Promise<DomainRef> {
  return describeFailure(`failed to get domain '${nameOrUuidOrId}'`, () =>
    domainLookup(c, nameOrUuidOrId),
  );
}
