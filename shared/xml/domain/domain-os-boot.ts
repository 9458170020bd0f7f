import { getAttribute, patchAttribute, type FieldPatch } from '../element-attributes';
import { orderedInsertIndex } from '../element-children';
import { childElements, findElement, findText } from '../element-query';
import { XmlEditError } from '../xml-edit-error';
import { createElement, type XmlDocument, type XmlNode } from '../xml-node';
import { assertInteger, parseInteger, parseYesNo } from '../xml-values';
import { DOMAIN_CHILD_ORDERS } from './domain-order';
import { domainRoot, patchDomainText, updateDomainPath } from './domain-edit';

export type BootDevice = 'hd' | 'cdrom' | 'network' | 'fd';

export interface OsBootView {
  /** `<os><boot dev>` in order (empty when devices carry their own boot order). */
  readonly bootDevices: readonly string[];
  readonly bootMenu:
    { readonly enabled: boolean | undefined; readonly timeoutMs: number | undefined } | undefined;
  readonly kernel: string | undefined;
  readonly initrd: string | undefined;
  readonly cmdline: string | undefined;
  readonly dtb: string | undefined;
  readonly biosUseSerial: boolean | undefined;
  readonly rebootTimeoutMs: number | undefined;
}

export function readOsBoot(doc: XmlDocument): OsBootView {
  const os = findElement(domainRoot(doc), 'os');
  const menu = os && findElement(os, 'bootmenu');
  const bios = os && findElement(os, 'bios');
  return {
    bootDevices: os ? childElements(os, 'boot').flatMap((b) => getAttribute(b, 'dev') ?? []) : [],
    bootMenu: menu && {
      enabled: parseYesNo(getAttribute(menu, 'enable')),
      timeoutMs: parseInteger(getAttribute(menu, 'timeout')),
    },
    kernel: os && findText(os, 'kernel'),
    initrd: os && findText(os, 'initrd'),
    cmdline: os && findText(os, 'cmdline'),
    dtb: os && findText(os, 'dtb'),
    biosUseSerial: bios && parseYesNo(getAttribute(bios, 'useserial')),
    rebootTimeoutMs: bios && parseInteger(getAttribute(bios, 'rebootTimeout')),
  };
}

const BOOT_DEVICES: readonly string[] = ['hd', 'cdrom', 'network', 'fd'];

/**
 * The BIOS boot order by device class. libvirt refuses `<os><boot>` together with per-device
 * `<boot order>`; use setDeviceBootOrder for the latter.
 */
export function setBootDevices(doc: XmlDocument, devices: readonly BootDevice[]): XmlDocument {
  for (const dev of devices) {
    if (!BOOT_DEVICES.includes(dev)) throw new XmlEditError(`unknown boot device '${dev}'`);
  }
  if (new Set(devices).size !== devices.length) {
    throw new XmlEditError('a boot device class may appear only once');
  }
  return updateDomainPath(
    doc,
    'os',
    (os) => {
      const kept = os.children.filter((c) => !(c.kind === 'element' && c.name === 'boot'));
      const at = orderedInsertIndex({ ...os, children: kept }, 'boot', DOMAIN_CHILD_ORDERS['os']);
      const boots: XmlNode[] = devices.map((dev) => createElement('boot', { dev }));
      return { ...os, children: [...kept.slice(0, at), ...boots, ...kept.slice(at)] };
    },
    { create: devices.length > 0 },
  );
}

/** The boot menu; null removes `<bootmenu>`. Timeout in milliseconds (0–65535). */
export function setBootMenu(
  doc: XmlDocument,
  menu: { enabled: boolean; timeoutMs?: FieldPatch<number> } | null,
): XmlDocument {
  if (menu === null) return updateDomainPath(doc, 'os/bootmenu', () => null, { create: false });
  if (typeof menu.timeoutMs === 'number')
    assertInteger(menu.timeoutMs, 'boot menu timeout', 0, 65535);
  return updateDomainPath(doc, 'os/bootmenu', (el) => {
    const next = patchAttribute(el, 'enable', menu.enabled ? 'yes' : 'no');
    return patchAttribute(next, 'timeout', menu.enabled ? menu.timeoutMs : null);
  });
}

/** Direct kernel boot paths and command line; null removes a field. */
export function setDirectKernelBoot(
  doc: XmlDocument,
  patch: {
    kernel?: FieldPatch<string>;
    initrd?: FieldPatch<string>;
    cmdline?: FieldPatch<string>;
    dtb?: FieldPatch<string>;
  },
): XmlDocument {
  let next = doc;
  for (const name of ['kernel', 'initrd', 'cmdline', 'dtb'] as const) {
    const value = patch[name];
    next = patchDomainText(next, `os/${name}`, value === '' ? null : value);
  }
  return next;
}
