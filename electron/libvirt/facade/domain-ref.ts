import type { RemoteNonnullDomain } from '../protocol/remote.gen';
import { formatUuid, parseUuid } from './uuid';

/**
 * A domain as the facade hands it out: plain data that survives structured cloning (IPC).
 * `id` is the running domain's ID, −1 while it is shut off.
 */
export interface DomainRef {
  name: string;
  /** Canonical lowercase UUID. */
  uuid: string;
  id: number;
}

export function domainRefFromRemote(dom: RemoteNonnullDomain): DomainRef {
  return { name: dom.name, uuid: formatUuid(dom.uuid), id: dom.id };
}

/**
 * The daemon looks domains up by UUID (name and id are informative), so a ref taken before a
 * restart still names the same domain.
 */
export function domainRefToRemote(ref: DomainRef): RemoteNonnullDomain {
  return { name: ref.name, uuid: parseUuid(ref.uuid), id: ref.id };
}
