import {
  getAttribute,
  patchAttribute,
  patchAttributes,
  removeAttribute,
  setAttribute,
  type FieldPatch,
} from '../element-attributes';
import { appendChild, insertChildInOrder, removeChild, replaceChild } from '../element-children';
import { childElements, findElement, findText } from '../element-query';
import { getText, setText } from '../element-text';
import { updateChild } from '../element-update';
import { scaledToKiB } from '../units';
import { createElement, type XmlDocument, type XmlElement } from '../xml-node';
import { assertInteger, parseInteger } from '../xml-values';
import { DOMAIN_CHILD_ORDERS } from './domain-order';
import { domainRoot, updateDomainPath } from './domain-edit';
import { assertCpuset } from './domain-vcpu';

export type CpuMode = 'custom' | 'host-model' | 'host-passthrough' | 'maximum';

export interface CpuTopology {
  readonly sockets: number | undefined;
  readonly dies: number | undefined;
  readonly clusters: number | undefined;
  readonly cores: number | undefined;
  readonly threads: number | undefined;
}

export interface NumaCell {
  readonly id: number | undefined;
  readonly cpus: string | undefined;
  readonly memoryKiB: number | undefined;
  readonly memAccess: string | undefined;
  readonly discard: string | undefined;
}

export interface CpuView {
  /** Absent `<cpu>` means the hypervisor default. */
  readonly present: boolean;
  /** libvirt's default mode is custom. */
  readonly mode: string;
  readonly match: string | undefined;
  readonly check: string | undefined;
  readonly migratable: string | undefined;
  readonly model:
    { readonly name: string | undefined; readonly fallback: string | undefined } | undefined;
  readonly vendor: string | undefined;
  readonly topology: CpuTopology | undefined;
  readonly features: readonly { readonly name: string; readonly policy: string | undefined }[];
  readonly numaCells: readonly NumaCell[];
}

const CPU_ORDER = DOMAIN_CHILD_ORDERS['cpu'];

export function readCpu(doc: XmlDocument): CpuView {
  const cpu = findElement(domainRoot(doc), 'cpu');
  const model = cpu ? findElement(cpu, 'model') : undefined;
  const topology = cpu ? findElement(cpu, 'topology') : undefined;
  const count = (el: XmlElement, name: string): number | undefined =>
    parseInteger(getAttribute(el, name));
  return {
    present: cpu !== undefined,
    mode: (cpu && getAttribute(cpu, 'mode')) ?? 'custom',
    match: cpu && getAttribute(cpu, 'match'),
    check: cpu && getAttribute(cpu, 'check'),
    migratable: cpu && getAttribute(cpu, 'migratable'),
    model: model && { name: getText(model), fallback: getAttribute(model, 'fallback') },
    vendor: cpu && findText(cpu, 'vendor'),
    topology: topology && {
      sockets: count(topology, 'sockets'),
      dies: count(topology, 'dies'),
      clusters: count(topology, 'clusters'),
      cores: count(topology, 'cores'),
      threads: count(topology, 'threads'),
    },
    features: cpu
      ? childElements(cpu, 'feature').map((f) => ({
          name: getAttribute(f, 'name') ?? '',
          policy: getAttribute(f, 'policy'),
        }))
      : [],
    numaCells: cpu
      ? findElementsUnder(cpu, 'numa', 'cell').map((cell) => ({
          id: count(cell, 'id'),
          cpus: getAttribute(cell, 'cpus'),
          memoryKiB: scaledToKiB(getAttribute(cell, 'memory'), getAttribute(cell, 'unit')),
          memAccess: getAttribute(cell, 'memAccess'),
          discard: getAttribute(cell, 'discard'),
        }))
      : [],
  };
}

function findElementsUnder(el: XmlElement, parent: string, child: string): XmlElement[] {
  const p = findElement(el, parent);
  return p ? childElements(p, child) : [];
}

/**
 * Sets the CPU mode. host-model and host-passthrough drop the custom model, vendor and
 * match (they describe a named model); features, topology and NUMA cells stay.
 * For custom, `model` names the CPU model (fallback left as it is).
 */
export function setCpuMode(doc: XmlDocument, mode: CpuMode, model?: string): XmlDocument {
  return updateDomainPath(doc, 'cpu', (cpu) => {
    let next = setAttribute(cpu, 'mode', mode);
    if (mode !== 'custom') {
      next = removeAttribute(next, 'match');
      for (const name of ['model', 'vendor']) {
        const child = findElement(next, name);
        if (child) next = removeChild(next, child);
      }
      return next;
    }
    if (model === undefined) return next;
    return updateChild(next, 'model', (m) => setText(m, model), {
      order: CPU_ORDER,
      keepEmpty: true,
    });
  });
}

/** Patches the model's fallback policy (allow/forbid). */
export function setCpuModelFallback(
  doc: XmlDocument,
  fallback: FieldPatch<'allow' | 'forbid'>,
): XmlDocument {
  return updateDomainPath(doc, 'cpu/model', (m) => patchAttribute(m, 'fallback', fallback), {
    create: false,
  });
}

/**
 * Sockets/dies/clusters/cores/threads; null removes `<topology>`. libvirt requires the product
 * to equal the maximum vCPU count; see topologyVcpus.
 */
export function setCpuTopology(
  doc: XmlDocument,
  topology: {
    sockets: number;
    dies?: number;
    clusters?: number;
    cores: number;
    threads: number;
  } | null,
): XmlDocument {
  if (topology === null)
    return updateDomainPath(doc, 'cpu/topology', () => null, { create: false });
  for (const [name, value] of Object.entries(topology)) {
    if (value !== undefined) assertInteger(value, `CPU ${name}`, 1);
  }
  return updateDomainPath(doc, 'cpu/topology', (el) =>
    patchAttributes(el, {
      sockets: topology.sockets,
      dies: topology.dies,
      clusters: topology.clusters,
      cores: topology.cores,
      threads: topology.threads,
    }),
  );
}

/** vCPUs a topology describes. */
export function topologyVcpus(t: Partial<CpuTopology>): number {
  return (t.sockets ?? 1) * (t.dies ?? 1) * (t.clusters ?? 1) * (t.cores ?? 1) * (t.threads ?? 1);
}

/** Adds, changes (policy) or removes (null) one CPU feature. */
export function setCpuFeature(
  doc: XmlDocument,
  name: string,
  policy: 'force' | 'require' | 'optional' | 'disable' | 'forbid' | null,
): XmlDocument {
  return updateDomainPath(
    doc,
    'cpu',
    (cpu) => {
      const feature = childElements(cpu, 'feature').find((f) => getAttribute(f, 'name') === name);
      if (policy === null) return feature ? removeChild(cpu, feature) : cpu;
      if (feature) return replaceChild(cpu, feature, setAttribute(feature, 'policy', policy));
      return insertChildInOrder(cpu, createElement('feature', { policy, name }), CPU_ORDER);
    },
    { create: policy !== null },
  );
}

export interface NumaCellSpec {
  readonly id: number;
  readonly cpus: string;
  readonly memoryKiB: number;
  readonly memAccess?: FieldPatch<'shared' | 'private'>;
  readonly discard?: FieldPatch<'yes' | 'no'>;
}

/**
 * Makes the guest NUMA cells exactly `cells`: cells are matched by id and patched in place (so
 * distances, caches and other attributes stay), new ids appended, missing ids removed.
 * An empty list removes `<numa>`.
 */
export function setNumaCells(doc: XmlDocument, cells: readonly NumaCellSpec[]): XmlDocument {
  for (const cell of cells) {
    assertInteger(cell.id, 'NUMA cell id', 0);
    assertInteger(cell.memoryKiB, 'NUMA cell memory (KiB)', 1);
    assertCpuset(cell.cpus, 'NUMA cell cpus');
  }
  if (cells.length === 0) return updateDomainPath(doc, 'cpu/numa', () => null, { create: false });
  return updateDomainPath(doc, 'cpu/numa', (numa) => {
    let next = numa;
    for (const old of childElements(numa, 'cell')) {
      const id = parseInteger(getAttribute(old, 'id'));
      if (!cells.some((c) => c.id === id)) next = removeChild(next, old);
    }
    for (const cell of cells) {
      const old = childElements(next, 'cell').find(
        (c) => parseInteger(getAttribute(c, 'id')) === cell.id,
      );
      const patched = patchAttributes(old ?? createElement('cell'), {
        id: cell.id,
        cpus: cell.cpus,
        memory: cell.memoryKiB,
        unit: 'KiB',
        memAccess: cell.memAccess,
        discard: cell.discard,
      });
      next = old ? replaceChild(next, old, patched) : appendChild(next, patched);
    }
    return next;
  });
}
