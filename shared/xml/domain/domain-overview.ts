import type { FieldPatch } from '../element-attributes';
import { getAttribute } from '../element-attributes';
import { findElement } from '../element-query';
import { getText } from '../element-text';
import { XmlEditError } from '../xml-edit-error';
import type { XmlDocument } from '../xml-node';
import { domainRoot, patchDomainAttribute, patchDomainText } from './domain-edit';

export interface DomainOverview {
  readonly name: string | undefined;
  readonly uuid: string | undefined;
  readonly title: string | undefined;
  readonly description: string | undefined;
  /** Hypervisor type, `<domain type>`: kvm, qemu, … */
  readonly hypervisor: string | undefined;
  /** `<os><type>`: hvm, linux, exe … */
  readonly osType: string | undefined;
  readonly arch: string | undefined;
  readonly machine: string | undefined;
  readonly emulator: string | undefined;
  readonly onPoweroff: string | undefined;
  readonly onReboot: string | undefined;
  readonly onCrash: string | undefined;
}

export function readDomainOverview(doc: XmlDocument): DomainOverview {
  const root = domainRoot(doc);
  const text = (path: string): string | undefined => {
    const el = findElement(root, path);
    return el ? getText(el) : undefined;
  };
  const osType = findElement(root, 'os/type');
  return {
    name: text('name'),
    uuid: text('uuid'),
    title: text('title'),
    description: text('description'),
    hypervisor: getAttribute(root, 'type'),
    osType: osType ? getText(osType) : undefined,
    arch: osType ? getAttribute(osType, 'arch') : undefined,
    machine: osType ? getAttribute(osType, 'machine') : undefined,
    emulator: text('devices/emulator'),
    onPoweroff: text('on_poweroff'),
    onReboot: text('on_reboot'),
    onCrash: text('on_crash'),
  };
}

/** Renames in the XML (libvirt renames shut-off domains only; that check is the caller's). */
export function setDomainName(doc: XmlDocument, name: string): XmlDocument {
  if (name.trim() === '' || name.includes('/')) {
    throw new XmlEditError(`'${name}' is not a valid domain name (empty or contains '/')`);
  }
  return patchDomainText(doc, 'name', name);
}

/** The one-line title; null removes it. */
export function setDomainTitle(doc: XmlDocument, title: FieldPatch<string>): XmlDocument {
  if (typeof title === 'string' && /[\r\n]/.test(title)) {
    throw new XmlEditError('a domain title must be a single line');
  }
  return patchDomainText(doc, 'title', title === '' ? null : title);
}

export function setDomainDescription(
  doc: XmlDocument,
  description: FieldPatch<string>,
): XmlDocument {
  return patchDomainText(doc, 'description', description === '' ? null : description);
}

export type LifecycleAction =
  'destroy' | 'restart' | 'preserve' | 'rename-restart' | 'coredump-destroy' | 'coredump-restart';

export function setDomainLifecycle(
  doc: XmlDocument,
  actions: {
    onPoweroff?: FieldPatch<LifecycleAction>;
    onReboot?: FieldPatch<LifecycleAction>;
    onCrash?: FieldPatch<LifecycleAction>;
  },
): XmlDocument {
  let next = patchDomainText(doc, 'on_poweroff', actions.onPoweroff);
  next = patchDomainText(next, 'on_reboot', actions.onReboot);
  return patchDomainText(next, 'on_crash', actions.onCrash);
}

/** Architecture and machine type of `<os><type>`. */
export function setDomainMachine(
  doc: XmlDocument,
  patch: { arch?: FieldPatch<string>; machine?: FieldPatch<string> },
): XmlDocument {
  const next = patchDomainAttribute(doc, 'os/type', 'arch', patch.arch);
  return patchDomainAttribute(next, 'os/type', 'machine', patch.machine);
}
