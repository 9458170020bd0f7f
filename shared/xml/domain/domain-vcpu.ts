import { getAttribute, patchAttribute, type FieldPatch } from '../element-attributes';
import { findElement } from '../element-query';
import { getText, setText } from '../element-text';
import { XmlEditError } from '../xml-edit-error';
import type { XmlDocument } from '../xml-node';
import { assertInteger, parseInteger } from '../xml-values';
import { domainRoot, updateDomainPath } from './domain-edit';

export interface VcpuView {
  /** Maximum vCPUs (the element's text). */
  readonly maximum: number | undefined;
  /** vCPUs online at boot; libvirt's default is the maximum. */
  readonly current: number | undefined;
  /** static or auto (numad). */
  readonly placement: string | undefined;
  /** Host CPUs the vCPUs may run on, e.g. `1-4,^3`. */
  readonly cpuset: string | undefined;
}

export function readVcpu(doc: XmlDocument): VcpuView {
  const vcpu = findElement(domainRoot(doc), 'vcpu');
  const maximum = vcpu ? parseInteger(getText(vcpu)) : undefined;
  return {
    maximum,
    current: vcpu ? (parseInteger(getAttribute(vcpu, 'current')) ?? maximum) : undefined,
    placement: vcpu ? getAttribute(vcpu, 'placement') : undefined,
    cpuset: vcpu ? getAttribute(vcpu, 'cpuset') : undefined,
  };
}

/** libvirt's cpuset syntax: ranges, single CPUs and exclusions, comma separated. */
export function isCpuset(value: string): boolean {
  return /^\^?\d+(-\d+)?(,\^?\d+(-\d+)?)*$/.test(value.replace(/\s/g, ''));
}

export function assertCpuset(value: string, what: string): void {
  if (!isCpuset(value)) throw new XmlEditError(`${what} '${value}' is not a CPU list like 0-3,^2`);
}

/**
 * Maximum and current vCPUs, placement and cpuset. `current` equal to the maximum is written
 * as given (removing it is `null`); a current above the maximum is refused.
 */
export function setVcpus(
  doc: XmlDocument,
  patch: {
    maximum?: number;
    current?: FieldPatch<number>;
    placement?: FieldPatch<'static' | 'auto'>;
    cpuset?: FieldPatch<string>;
  },
): XmlDocument {
  const vcpu = findElement(domainRoot(doc), 'vcpu');
  const maximum = patch.maximum ?? (vcpu ? parseInteger(getText(vcpu)) : undefined);
  if (patch.maximum !== undefined) assertInteger(patch.maximum, 'maximum vCPUs', 1);
  if (typeof patch.current === 'number') assertInteger(patch.current, 'current vCPUs', 1);
  const current =
    patch.current === undefined && vcpu
      ? parseInteger(getAttribute(vcpu, 'current'))
      : (patch.current ?? undefined);
  if (current !== undefined && maximum !== undefined && current > maximum) {
    throw new XmlEditError(`current vCPUs (${current}) exceed the maximum (${maximum})`);
  }
  if (typeof patch.cpuset === 'string') assertCpuset(patch.cpuset, 'vCPU cpuset');
  return updateDomainPath(doc, 'vcpu', (el) => {
    let next = patch.maximum === undefined ? el : setText(el, String(patch.maximum));
    next = patchAttribute(next, 'placement', patch.placement);
    next = patchAttribute(next, 'cpuset', patch.cpuset);
    return patchAttribute(next, 'current', patch.current);
  });
}
