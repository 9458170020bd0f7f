import type {
  SnapshotCapabilities,
  SnapshotCreateRequest,
  SnapshotLocation,
} from '../../shared/contract/snapshots';
import { escapeAttribute, escapeText } from '../../shared/xml/xml-entities';
import type { SnapshotCreateFlag } from '../libvirt/facade/snapshot';
import { vmRefusal } from '../vms/vm-action-error';
import type { SnapshotDomainFacts } from './snapshot-capabilities';

export interface SnapshotCreatePlan {
  mode: SnapshotLocation;
  memory: boolean;
  xml: string;
  flags: SnapshotCreateFlag[];
}

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

/**
 * The `<domainsnapshot>` XML and flags for a request, or a refusal (a validation error,
 * nothing done) where the capabilities say libvirt would refuse. Every disk is named with
 * its snapshot kind so libvirt never picks another one silently; external overlay names are
 * left to libvirt (`<image>.<snapshot>` beside the image).
 */
export function planSnapshotCreate(
  request: SnapshotCreateRequest,
  facts: SnapshotDomainFacts,
  caps: SnapshotCapabilities,
  vmName: string,
): SnapshotCreatePlan {
  const mode = request.mode ?? caps.defaultMode;
  if (mode === null) {
    const why = caps.internal.allowed ? '' : caps.internal.reason;
    throw vmRefusal(`No snapshot of ${vmName} is possible: ${why}`, 'mode');
  }
  const verdict = caps[mode];
  if (!verdict.allowed) throw vmRefusal(verdict.reason, 'mode');
  const memory = request.memory ?? caps.active;
  if (memory && !caps.memory.allowed) throw vmRefusal(caps.memory.reason, 'memory');
  if (mode === 'internal' && caps.active && !memory) {
    throw vmRefusal(
      'libvirt takes internal snapshots of a running VM with its memory; choose an external snapshot for disks only',
      'memory',
    );
  }
  if (request.memoryFile !== undefined && !(mode === 'external' && memory)) {
    throw vmRefusal('A memory file is only used by external snapshots with memory', 'memoryFile');
  }

  const included = facts.disks.filter((d) => d.included);
  let memoryXml = '';
  if (memory && mode === 'internal') memoryXml = `<memory snapshot='internal'/>`;
  else if (memory) {
    const firstPath = included.find((d) => d.path !== null)?.path;
    const file =
      request.memoryFile ??
      (firstPath ? `${dirname(firstPath)}/${vmName}.${request.name}.mem` : undefined);
    if (file === undefined) {
      throw vmRefusal('Choose where the memory file goes (memoryFile)', 'memoryFile');
    }
    memoryXml = `<memory snapshot='external' file='${escapeAttribute(file)}'/>`;
  } else if (caps.active) memoryXml = `<memory snapshot='no'/>`;

  const disksXml = facts.disks
    .map((d) => {
      const kind = d.included ? mode : 'no';
      return `<disk name='${escapeAttribute(d.target)}' snapshot='${kind}'/>`;
    })
    .join('');
  const description =
    request.description !== undefined && request.description !== ''
      ? `<description>${escapeText(request.description)}</description>`
      : '';
  const xml =
    `<domainsnapshot><name>${escapeText(request.name)}</name>${description}` +
    `${memoryXml}<disks>${disksXml}</disks></domainsnapshot>`;

  const flags: SnapshotCreateFlag[] = [];
  // An external snapshot without memory is libvirt's "disk-only" kind.
  if (mode === 'external' && !memory) flags.push('disk-only');
  // All disks or none: a half-taken external snapshot would leave overlays behind.
  if (mode === 'external' && caps.active) flags.push('atomic');
  return { mode, memory, xml, flags };
}
