import { getAttribute, patchAttribute, removeAttribute, setAttribute } from '../element-attributes';
import { appendChild, replaceChild } from '../element-children';
import { childElements, findElement } from '../element-query';
import { getText } from '../element-text';
import { updateChild } from '../element-update';
import { createElement, type XmlDocument, type XmlElement } from '../xml-node';
import { parseYesNo } from '../xml-values';
import { DOMAIN_CHILD_ORDERS } from './domain-order';
import { domainRoot, updateDomainPath } from './domain-edit';

export interface FirmwareLoader {
  readonly path: string | undefined;
  readonly type: string | undefined;
  readonly readonly: boolean | undefined;
  readonly secure: boolean | undefined;
  readonly stateless: boolean | undefined;
}

export interface FirmwareView {
  /** `<os firmware>`: libvirt picks the firmware image itself (efi or bios). */
  readonly autoselect: string | undefined;
  /** What the guest boots with: UEFI when autoselected or a pflash loader is set. */
  readonly kind: 'efi' | 'bios';
  /** Secure Boot as requested by `<firmware><feature name='secure-boot'>` or `<loader secure>`. */
  readonly secureBoot: boolean | undefined;
  readonly enrolledKeys: boolean | undefined;
  readonly loader: FirmwareLoader | undefined;
  /** NVRAM file (or template) of a UEFI guest. */
  readonly nvram:
    { readonly path: string | undefined; readonly template: string | undefined } | undefined;
}

function firmwareFeature(os: XmlElement | undefined, name: string): boolean | undefined {
  if (!os) return undefined;
  const feature = firmwareFeatureElement(os, name);
  return feature ? parseYesNo(getAttribute(feature, 'enabled')) : undefined;
}

function firmwareFeatureElement(os: XmlElement, name: string): XmlElement | undefined {
  const firmware = findElement(os, 'firmware');
  return firmware
    ? childElements(firmware, 'feature').find((f) => getAttribute(f, 'name') === name)
    : undefined;
}

export function readFirmware(doc: XmlDocument): FirmwareView {
  const os = findElement(domainRoot(doc), 'os');
  const loaderEl = os ? findElement(os, 'loader') : undefined;
  const nvramEl = os ? findElement(os, 'nvram') : undefined;
  const loader: FirmwareLoader | undefined = loaderEl && {
    path: getText(loaderEl),
    type: getAttribute(loaderEl, 'type'),
    readonly: parseYesNo(getAttribute(loaderEl, 'readonly')),
    secure: parseYesNo(getAttribute(loaderEl, 'secure')),
    stateless: parseYesNo(getAttribute(loaderEl, 'stateless')),
  };
  const autoselect = os ? getAttribute(os, 'firmware') : undefined;
  const nvramSource = nvramEl ? findElement(nvramEl, 'source') : undefined;
  const efi = autoselect === 'efi' || (autoselect === undefined && loader?.type === 'pflash');
  return {
    autoselect,
    kind: efi ? 'efi' : 'bios',
    secureBoot: firmwareFeature(os, 'secure-boot') ?? loader?.secure,
    enrolledKeys: firmwareFeature(os, 'enrolled-keys'),
    loader,
    nvram: nvramEl && {
      path: getText(nvramEl) ?? (nvramSource ? getAttribute(nvramSource, 'file') : undefined),
      template: getAttribute(nvramEl, 'template'),
    },
  };
}

function setFirmwareFeature(os: XmlElement, name: string, enabled: boolean): XmlElement {
  const order = DOMAIN_CHILD_ORDERS['os'];
  return updateChild(
    os,
    'firmware',
    (firmware) => {
      const features = childElements(firmware, 'feature');
      const existing = features.find((f) => getAttribute(f, 'name') === name);
      const value = enabled ? 'yes' : 'no';
      if (existing)
        return replaceChild(firmware, existing, setAttribute(existing, 'enabled', value));
      return appendChild(firmware, createElement('feature', { enabled: value, name }));
    },
    { order },
  );
}

/**
 * Switches between BIOS and UEFI by firmware autoselection, as virt-manager does. UEFI sets
 * `<os firmware='efi'>` and, when `secureBoot` is given, the secure-boot and enrolled-keys
 * firmware features (and `<loader secure>` if a loader element exists). BIOS drops the
 * autoselection, firmware features, loader and NVRAM, which all belong to UEFI.
 */
export function setFirmware(
  doc: XmlDocument,
  choice: { kind: 'efi' | 'bios'; secureBoot?: boolean },
): XmlDocument {
  return updateDomainPath(doc, 'os', (os) => {
    if (choice.kind === 'bios') {
      const children = os.children.filter(
        (c) => !(c.kind === 'element' && ['firmware', 'loader', 'nvram'].includes(c.name)),
      );
      return { ...removeAttribute(os, 'firmware'), children };
    }
    let next = setAttribute(os, 'firmware', 'efi');
    if (choice.secureBoot !== undefined) {
      next = setFirmwareFeature(next, 'secure-boot', choice.secureBoot);
      next = setFirmwareFeature(next, 'enrolled-keys', choice.secureBoot);
      next = updateChild(
        next,
        'loader',
        (loader) => patchAttribute(loader, 'secure', choice.secureBoot ? 'yes' : 'no'),
        { create: false },
      );
    }
    return next;
  });
}
