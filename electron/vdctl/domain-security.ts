import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { domainRefToRemote, type DomainRef } from '../libvirt/facade/domain-ref';

// `dominfo` needs four calls the facade does not offer (yet); they are thin and read-only,
// so they live here on the generated client instead of growing the facade for one command.

/** `char name[N]` on the wire: signed chars, NUL-terminated. */
function cString(chars: readonly number[]): string {
  const end = chars.indexOf(0);
  const bytes = Uint8Array.from(end >= 0 ? chars.slice(0, end) : chars, (c) => c & 0xff);
  return Buffer.from(bytes).toString('utf8');
}

export interface SecurityModel {
  /** '' when no security driver is active. */
  model: string;
  doi: string;
}

export async function nodeGetSecurityModel(c: LibvirtClient): Promise<SecurityModel> {
  const ret = await c.remote.nodeGetSecurityModel();
  return { model: cString(ret.model), doi: cString(ret.doi) };
}

export interface SecurityLabel {
  /** '' for a domain that is not running. */
  label: string;
  enforcing: boolean;
}

export async function domainGetSecurityLabel(
  c: LibvirtClient,
  dom: DomainRef,
): Promise<SecurityLabel> {
  const ret = await c.remote.domainGetSecurityLabel({ dom: domainRefToRemote(dom) });
  return { label: cString(ret.label), enforcing: ret.enforcing !== 0 };
}

export async function domainGetOsType(c: LibvirtClient, dom: DomainRef): Promise<string> {
  return (await c.remote.domainGetOsType({ dom: domainRefToRemote(dom) })).type;
}

/** Tainting and deprecation notes the daemon keeps about a domain. */
export async function domainGetMessages(c: LibvirtClient, dom: DomainRef): Promise<string[]> {
  return (await c.remote.domainGetMessages({ dom: domainRefToRemote(dom), flags: 0 })).msgs;
}
