import {
  getAttribute,
  patchAttributes,
  removeAttribute,
  setAttribute,
} from '../element-attributes';
import { childElements, findElement } from '../element-query';
import type { XmlAttribute, XmlDocument, XmlElement } from '../xml-node';
import { domainRoot, updateDomainPath } from './domain-edit';

export interface FeatureState {
  /** Present and not `state='off'`. */
  readonly enabled: boolean;
  /** Every attribute as written (state, version, mode, eoi, …). */
  readonly attributes: readonly XmlAttribute[];
  /** Sub-features (hyperv, kvm, xen): name → state. */
  readonly children: Readonly<Record<string, FeatureState>>;
}

export interface FeaturesView {
  readonly present: boolean;
  /** Every child of `<features>` by element name. */
  readonly features: Readonly<Record<string, FeatureState>>;
}

function featureState(element: XmlElement): FeatureState {
  const children: Record<string, FeatureState> = {};
  for (const child of childElements(element)) children[child.name] = featureState(child);
  return {
    enabled: getAttribute(element, 'state') !== 'off',
    attributes: element.attributes,
    children,
  };
}

export function readFeatures(doc: XmlDocument): FeaturesView {
  const features = findElement(domainRoot(doc), 'features');
  const out: Record<string, FeatureState> = {};
  for (const child of features ? childElements(features) : [])
    out[child.name] = featureState(child);
  return { present: features !== undefined, features: out };
}

/** Features that are on by presence alone and have no state attribute. */
const PRESENCE_FEATURES: readonly string[] = ['acpi', 'apic', 'pae', 'privnet', 'viridian'];

/**
 * Turns a top-level feature on or off (acpi, apic, pae by presence; smm, pmu, vmport, hap …
 * by state), or removes it (null) to fall back to the hypervisor default.
 */
export function setFeature(doc: XmlDocument, name: string, enabled: boolean | null): XmlDocument {
  const presence = PRESENCE_FEATURES.includes(name);
  if (enabled === null || (!enabled && presence)) {
    return updateDomainPath(doc, `features/${name}`, () => null, { create: false });
  }
  const existing = readFeatures(doc).features[name];
  return updateDomainPath(
    doc,
    `features/${name}`,
    (el) => {
      if (presence) return removeAttribute(el, 'state');
      // On by presence already: leave it as written rather than spell out state='on'.
      if (enabled && existing?.enabled && getAttribute(el, 'state') === undefined) return el;
      return setAttribute(el, 'state', enabled ? 'on' : 'off');
    },
    { keepEmpty: true },
  );
}

/**
 * One Hyper-V enlightenment (`relaxed`, `vapic`, `spinlocks` with retries, …): on, off, or
 * removed (null). `attributes` adds values such as `{ retries: '8191' }`.
 */
export function setHypervFeature(
  doc: XmlDocument,
  name: string,
  enabled: boolean | null,
  attributes: Readonly<Record<string, string>> = {},
): XmlDocument {
  return setNestedFeature(doc, 'hyperv', name, enabled, attributes);
}

/** One KVM feature (`hidden`, `hint-dedicated`, `poll-control`, …). */
export function setKvmFeature(
  doc: XmlDocument,
  name: string,
  enabled: boolean | null,
): XmlDocument {
  return setNestedFeature(doc, 'kvm', name, enabled, {});
}

/** Hyper-V mode: custom (listed enlightenments) or passthrough (all the host offers). */
export function setHypervMode(doc: XmlDocument, mode: 'custom' | 'passthrough'): XmlDocument {
  return updateDomainPath(doc, 'features/hyperv', (el) => setAttribute(el, 'mode', mode), {
    keepEmpty: true,
  });
}

function setNestedFeature(
  doc: XmlDocument,
  group: string,
  name: string,
  enabled: boolean | null,
  attributes: Readonly<Record<string, string>>,
): XmlDocument {
  const path = `features/${group}/${name}`;
  if (enabled === null) return updateDomainPath(doc, path, () => null, { create: false });
  return updateDomainPath(
    doc,
    path,
    (el) => patchAttributes(setAttribute(el, 'state', enabled ? 'on' : 'off'), attributes),
    { keepEmpty: true },
  );
}
