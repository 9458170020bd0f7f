import { getAttribute, setAttribute } from '../element-attributes';
import { insertChild, insertChildInOrder, removeChild, replaceChild } from '../element-children';
import { childElements, findElement, findText } from '../element-query';
import { createElement, type XmlDocument } from '../xml-node';
import { assertInteger, parseInteger } from '../xml-values';
import { DOMAIN_CHILD_ORDERS } from './domain-order';
import { domainRoot, patchDomainAttribute, patchDomainText, updateDomainPath } from './domain-edit';
import { assertCpuset } from './domain-vcpu';

/** Scalar tunables of `<cputune>`, by element name. */
export type CputuneValueName =
  | 'shares'
  | 'period'
  | 'quota'
  | 'global_period'
  | 'global_quota'
  | 'emulator_period'
  | 'emulator_quota'
  | 'iothread_period'
  | 'iothread_quota';

export interface CputuneView {
  readonly values: Partial<Readonly<Record<CputuneValueName, number>>>;
  readonly vcpupins: readonly {
    readonly vcpu: number | undefined;
    readonly cpuset: string | undefined;
  }[];
  readonly emulatorpin: string | undefined;
  readonly iothreadpins: readonly {
    readonly iothread: number | undefined;
    readonly cpuset: string | undefined;
  }[];
}

const VALUE_NAMES: readonly CputuneValueName[] = [
  'shares',
  'period',
  'quota',
  'global_period',
  'global_quota',
  'emulator_period',
  'emulator_quota',
  'iothread_period',
  'iothread_quota',
];

export function readCputune(doc: XmlDocument): CputuneView {
  const cputune = findElement(domainRoot(doc), 'cputune');
  const values: Partial<Record<CputuneValueName, number>> = {};
  for (const name of VALUE_NAMES) {
    const value = cputune ? parseInteger(findText(cputune, name)) : undefined;
    if (value !== undefined) values[name] = value;
  }
  const emulatorpin = cputune && findElement(cputune, 'emulatorpin');
  return {
    values,
    vcpupins: cputune
      ? childElements(cputune, 'vcpupin').map((p) => ({
          vcpu: parseInteger(getAttribute(p, 'vcpu')),
          cpuset: getAttribute(p, 'cpuset'),
        }))
      : [],
    emulatorpin: emulatorpin && getAttribute(emulatorpin, 'cpuset'),
    iothreadpins: cputune
      ? childElements(cputune, 'iothreadpin').map((p) => ({
          iothread: parseInteger(getAttribute(p, 'iothread')),
          cpuset: getAttribute(p, 'cpuset'),
        }))
      : [],
  };
}

/** One scalar tunable (quota may be -1 for unlimited); null removes it. */
export function setCputuneValue(
  doc: XmlDocument,
  name: CputuneValueName,
  value: number | null,
): XmlDocument {
  if (value !== null) assertInteger(value, name, name.endsWith('quota') ? -1 : 0);
  return patchDomainText(doc, `cputune/${name}`, value);
}

/** Pins one vCPU to host CPUs; null unpins it. */
export function setVcpuPin(doc: XmlDocument, vcpu: number, cpuset: string | null): XmlDocument {
  assertInteger(vcpu, 'vCPU number', 0);
  if (cpuset !== null) assertCpuset(cpuset, 'vCPU pinning');
  return updateDomainPath(
    doc,
    'cputune',
    (cputune) => {
      const old = childElements(cputune, 'vcpupin').find(
        (p) => parseInteger(getAttribute(p, 'vcpu')) === vcpu,
      );
      if (cpuset === null) return old ? removeChild(cputune, old) : cputune;
      if (old) return replaceChild(cputune, old, setAttribute(old, 'cpuset', cpuset));
      // Keep pins sorted by vCPU, as libvirt writes them.
      const after = childElements(cputune, 'vcpupin').find(
        (p) => (parseInteger(getAttribute(p, 'vcpu')) ?? -1) > vcpu,
      );
      const pin = createElement('vcpupin', { vcpu: String(vcpu), cpuset });
      if (after) return insertChild(cputune, cputune.children.indexOf(after), pin);
      return insertChildInOrder(cputune, pin, DOMAIN_CHILD_ORDERS['cputune']);
    },
    { create: cpuset !== null },
  );
}

/** Pins the emulator threads; null unpins them. */
export function setEmulatorPin(doc: XmlDocument, cpuset: string | null): XmlDocument {
  if (cpuset !== null) assertCpuset(cpuset, 'emulator pinning');
  if (cpuset === null)
    return updateDomainPath(doc, 'cputune/emulatorpin', () => null, { create: false });
  return patchDomainAttribute(doc, 'cputune/emulatorpin', 'cpuset', cpuset);
}
