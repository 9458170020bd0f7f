import type { ConsoleXmlChange } from '../../shared/contract/consoles';
import {
  childElement,
  childElements,
  createElement,
  getAttribute,
  listDevices,
  removeDevice,
  replaceDevice,
  serializeElement,
  setAttribute,
  type XmlDocument,
  type XmlElement,
} from '../../shared/xml';

/** `<graphics>` attributes VNC shares with SPICE; the rest are SPICE's own. */
const KEPT_GRAPHICS_ATTRIBUTES = [
  'port',
  'autoport',
  'listen',
  'passwd',
  'passwdValidTo',
  'keymap',
  'connected',
];
/**
 * VNC authentication keys DES with the first 8 characters of the password and libvirt refuses
 * a longer one, so a longer SPICE password is cut to what a VNC client would use of it anyway.
 */
const VNC_PASSWORD_MAX = 8;
/** qxl-only sizes a VGA model does not take. */
const QXL_ONLY_ATTRIBUTES = new Set(['ram', 'vram64', 'vgamem']);

export interface SpiceToVncPlan {
  doc: XmlDocument;
  changes: ConsoleXmlChange[];
}

/**
 * What Cockpit's "Replace with VNC" (virt-xml --convert-to-vnc) does, on our lossless model:
 * each SPICE display becomes VNC with the same listen, port and password (dropped if a VNC
 * display exists already); SPICE-only devices go (spicevmc channels, USB redirection and
 * smartcard passthrough over SPICE); SPICE audio becomes none; QXL video becomes VGA.
 * Everything else in the document is left exactly as it was.
 */
export function planSpiceToVnc(original: XmlDocument): SpiceToVncPlan {
  let doc = original;
  const changes: ConsoleXmlChange[] = [];
  const hasVnc = listDevices(doc).some(
    (d) => d.kind === 'graphics' && getAttribute(d.element, 'type') === 'vnc',
  );
  let vncAdded = hasVnc;
  // Walk a fresh device list after each edit: ids and positions shift.
  for (let guard = 0; guard < 1000; guard++) {
    const next = listDevices(doc).find((d) => needsChange(d.kind, d.element));
    if (!next) break;
    const before = next.element;
    const replacement = convert(next.kind, before, vncAdded);
    if (next.kind === 'graphics' && replacement) vncAdded = true;
    doc = replacement ? replaceDevice(doc, next.id, replacement) : removeDevice(doc, next.id);
    changes.push({
      description: describe(next.kind, before, replacement),
      before: shown(before),
      after: replacement ? shown(replacement) : null,
    });
  }
  return { doc, changes };
}

function isSpicevmc(element: XmlElement): boolean {
  return getAttribute(element, 'type') === 'spicevmc';
}

function needsChange(kind: string, element: XmlElement): boolean {
  switch (kind) {
    case 'graphics':
      return getAttribute(element, 'type') === 'spice';
    case 'channel':
    case 'redirdev':
    case 'smartcard':
      return isSpicevmc(element);
    case 'audio':
      return getAttribute(element, 'type') === 'spice';
    case 'video': {
      const model = childElement(element, 'model');
      return model !== undefined && getAttribute(model, 'type') === 'qxl';
    }
    default:
      return false;
  }
}

/** The replacement element, or null to remove the device. */
function convert(kind: string, element: XmlElement, vncExists: boolean): XmlElement | null {
  switch (kind) {
    case 'graphics': {
      if (vncExists) return null;
      const attributes = element.attributes.filter(
        (a) => a.name === 'type' || KEPT_GRAPHICS_ATTRIBUTES.includes(a.name),
      );
      const listens = childElements(element, 'listen');
      return createElement(
        'graphics',
        attributes.map((a) => {
          if (a.name === 'type') return { name: 'type', value: 'vnc' };
          if (a.name === 'passwd') return { ...a, value: a.value.slice(0, VNC_PASSWORD_MAX) };
          return a;
        }),
        listens,
      );
    }
    case 'audio':
      return setAttribute(element, 'type', 'none');
    case 'video': {
      const children = element.children.map((child) => {
        if (child.kind !== 'element' || child.name !== 'model') return child;
        const attributes = child.attributes
          .filter((a) => !QXL_ONLY_ATTRIBUTES.has(a.name) && a.name !== 'vram')
          .map((a) => (a.name === 'type' ? { name: 'type', value: 'vga' } : a));
        // VGA has no acceleration options of its own.
        return createElement('model', attributes, []);
      });
      return { ...element, children };
    }
    default:
      return null;
  }
}

function describe(kind: string, before: XmlElement, after: XmlElement | null): string {
  if (kind === 'graphics') {
    if (!after) return 'The SPICE display is removed (the VM already has a VNC display)';
    const password = getAttribute(before, 'passwd');
    return password !== undefined && password.length > VNC_PASSWORD_MAX
      ? `The SPICE display becomes a VNC display (same listen address and port); VNC uses only the first ${VNC_PASSWORD_MAX} characters of a password, so the password is cut to those`
      : 'The SPICE display becomes a VNC display (same listen address, port and password)';
  }
  if (kind === 'audio') return 'SPICE audio is switched off (audio type none)';
  if (kind === 'video') return 'The QXL video card becomes VGA';
  if (kind === 'channel') {
    const target = childElement(before, 'target');
    const name = target ? getAttribute(target, 'name') : undefined;
    return `The SPICE channel${name ? ` ${name}` : ''} is removed`;
  }
  if (kind === 'redirdev') return 'USB redirection over SPICE is removed';
  return 'Smartcard passthrough over SPICE is removed';
}

/** The element as XML, its password masked: this text is shown on screen. */
function shown(element: XmlElement): string {
  const masked =
    getAttribute(element, 'passwd') === undefined
      ? element
      : setAttribute(element, 'passwd', '********');
  return serializeElement(masked);
}
