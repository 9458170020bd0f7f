import type { VmPatch, VmSummary } from '../../shared/contract/vms';
import type { DomainXmlSummary } from './domain-xml-summary';
import { vmStateOf } from './vm-state';

/** What libvirt says about a domain besides its XML. */
export interface DomainFacts {
  connectionId: string;
  uuid: string;
  name: string;
  /** −1 (libvirt's value) while not running. */
  id: number;
  state: number;
  reason: number;
  persistent: boolean;
  autostart: boolean;
  hasManagedSave: boolean;
}

/** A row before its XML is read: identity and state, the rest empty. */
export function basicVmSummary(
  facts: DomainFacts,
  sizes: { vcpus?: number; maxVcpus?: number; memoryKiB?: number; maxMemoryKiB?: number } = {},
): VmSummary {
  return {
    connectionId: facts.connectionId,
    uuid: facts.uuid,
    name: facts.name,
    id: facts.id >= 0 ? facts.id : null,
    title: '',
    description: '',
    ...vmStateOf(facts.state, facts.reason, facts.hasManagedSave),
    persistent: facts.persistent,
    autostart: facts.autostart,
    hasManagedSave: facts.hasManagedSave,
    vcpus: sizes.vcpus ?? 0,
    maxVcpus: sizes.maxVcpus ?? sizes.vcpus ?? 0,
    memoryKiB: sizes.memoryKiB ?? 0,
    maxMemoryKiB: sizes.maxMemoryKiB ?? sizes.memoryKiB ?? 0,
    tags: [],
    graphics: [],
    firmware: 'bios',
    nvramPath: null,
    disks: [],
  };
}

export function fullVmSummary(facts: DomainFacts, xml: DomainXmlSummary): VmSummary {
  return {
    ...basicVmSummary(facts),
    // The XML's name is the same as the ref's; take the ref's (it is what lookups return).
    title: xml.title,
    description: xml.description,
    vcpus: xml.vcpus,
    maxVcpus: xml.maxVcpus,
    memoryKiB: xml.memoryKiB,
    maxMemoryKiB: xml.maxMemoryKiB,
    tags: xml.tags,
    graphics: xml.graphics,
    firmware: xml.firmware,
    nvramPath: xml.nvramPath,
    disks: xml.disks,
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Arrays and plain records of our summaries: JSON is a faithful comparison for them.
  return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b);
}

/** The fields of `next` that differ from `prev` (empty when nothing changed). */
export function diffVmSummary(prev: VmSummary, next: VmSummary): VmPatch {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof VmSummary)[]) {
    if (key === 'connectionId' || key === 'uuid') continue;
    if (!sameValue(prev[key], next[key])) patch[key] = next[key];
  }
  return patch as VmPatch;
}
