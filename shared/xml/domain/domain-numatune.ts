import { getAttribute, patchAttributes, type FieldPatch } from '../element-attributes';
import { insertChildInOrder, removeChild, replaceChild } from '../element-children';
import { childElements, findElement } from '../element-query';
import { createElement, type XmlDocument } from '../xml-node';
import { assertInteger, parseInteger } from '../xml-values';
import { DOMAIN_CHILD_ORDERS } from './domain-order';
import { domainRoot, updateDomainPath } from './domain-edit';
import { assertCpuset } from './domain-vcpu';

export type NumaMode = 'strict' | 'preferred' | 'interleave' | 'restrictive';

export interface NumatuneView {
  readonly memory:
    | {
        readonly mode: string | undefined;
        readonly nodeset: string | undefined;
        readonly placement: string | undefined;
      }
    | undefined;
  readonly memnodes: readonly {
    readonly cellid: number | undefined;
    readonly mode: string | undefined;
    readonly nodeset: string | undefined;
  }[];
}

export function readNumatune(doc: XmlDocument): NumatuneView {
  const numatune = findElement(domainRoot(doc), 'numatune');
  const memory = numatune && findElement(numatune, 'memory');
  return {
    memory: memory && {
      mode: getAttribute(memory, 'mode'),
      nodeset: getAttribute(memory, 'nodeset'),
      placement: getAttribute(memory, 'placement'),
    },
    memnodes: numatune
      ? childElements(numatune, 'memnode').map((m) => ({
          cellid: parseInteger(getAttribute(m, 'cellid')),
          mode: getAttribute(m, 'mode'),
          nodeset: getAttribute(m, 'nodeset'),
        }))
      : [],
  };
}

/** Host NUMA policy for all guest memory; null removes `<memory>` from `<numatune>`. */
export function setNumatuneMemory(
  doc: XmlDocument,
  patch: {
    mode?: FieldPatch<NumaMode>;
    nodeset?: FieldPatch<string>;
    placement?: FieldPatch<'static' | 'auto'>;
  } | null,
): XmlDocument {
  if (patch === null)
    return updateDomainPath(doc, 'numatune/memory', () => null, { create: false });
  if (typeof patch.nodeset === 'string') assertCpuset(patch.nodeset, 'NUMA nodeset');
  return updateDomainPath(doc, 'numatune/memory', (el) => patchAttributes(el, { ...patch }));
}

/** Policy for one guest NUMA cell; null removes it. */
export function setNumatuneMemnode(
  doc: XmlDocument,
  cellid: number,
  patch: { mode: NumaMode; nodeset: string } | null,
): XmlDocument {
  assertInteger(cellid, 'NUMA cell id', 0);
  if (patch) assertCpuset(patch.nodeset, 'NUMA nodeset');
  return updateDomainPath(
    doc,
    'numatune',
    (numatune) => {
      const old = childElements(numatune, 'memnode').find(
        (m) => parseInteger(getAttribute(m, 'cellid')) === cellid,
      );
      if (patch === null) return old ? removeChild(numatune, old) : numatune;
      const next = patchAttributes(old ?? createElement('memnode', { cellid: String(cellid) }), {
        mode: patch.mode,
        nodeset: patch.nodeset,
      });
      return old
        ? replaceChild(numatune, old, next)
        : insertChildInOrder(numatune, next, DOMAIN_CHILD_ORDERS['numatune']);
    },
    { create: patch !== null },
  );
}
