import {
  getAttribute,
  patchAttribute,
  patchAttributes,
  removeAttribute,
  setAttribute,
  type FieldPatch,
} from '../element-attributes';
import { childElements } from '../element-query';
import { XmlEditError } from '../xml-edit-error';
import { createElement, type XmlElement } from '../xml-node';
import { assertInteger, parseInteger, parseYesNo } from '../xml-values';
import { updateDeviceChild } from './device-edit';

export interface GraphicsListen {
  /** address, network, socket, none. */
  readonly type: string | undefined;
  readonly address: string | undefined;
  readonly network: string | undefined;
  readonly socket: string | undefined;
}

export interface GraphicsView {
  /** vnc, spice, sdl, rdp, desktop, egl-headless, dbus. */
  readonly type: string | undefined;
  /** -1 (or absent) with autoport: chosen at start. */
  readonly port: number | undefined;
  readonly autoport: boolean | undefined;
  readonly tlsPort: number | undefined;
  readonly websocket: number | undefined;
  /** `<listen>` children, or the legacy `listen` attribute as one address listen. */
  readonly listens: readonly GraphicsListen[];
  readonly passwd: string | undefined;
  readonly keymap: string | undefined;
}

export function readGraphics(graphics: XmlElement): GraphicsView {
  const attr = (name: string): string | undefined => getAttribute(graphics, name);
  const listenEls = childElements(graphics, 'listen');
  const legacy = attr('listen');
  const listens: GraphicsListen[] = listenEls.map((l) => ({
    type: getAttribute(l, 'type'),
    address: getAttribute(l, 'address'),
    network: getAttribute(l, 'network'),
    socket: getAttribute(l, 'socket'),
  }));
  if (listens.length === 0 && (legacy !== undefined || attr('socket') !== undefined)) {
    listens.push(
      legacy !== undefined
        ? { type: 'address', address: legacy, network: undefined, socket: undefined }
        : { type: 'socket', address: undefined, network: undefined, socket: attr('socket') },
    );
  }
  return {
    type: attr('type'),
    port: parseInteger(attr('port')),
    autoport: parseYesNo(attr('autoport')),
    tlsPort: parseInteger(attr('tlsPort')),
    websocket: parseInteger(attr('websocket')),
    listens,
    passwd: attr('passwd'),
    keymap: attr('keymap'),
  };
}

/** Automatic port, or a fixed one (5900–65535 for VNC/SPICE). */
export function setGraphicsPort(
  graphics: XmlElement,
  choice: { autoport: true } | { autoport: false; port: number },
): XmlElement {
  if (choice.autoport) {
    return patchAttributes(graphics, { port: '-1', autoport: 'yes' });
  }
  assertInteger(choice.port, 'graphics port', 5900, 65535);
  return patchAttributes(graphics, { port: choice.port, autoport: 'no' });
}

export type GraphicsListenSpec =
  | { readonly type: 'address'; readonly address: string }
  | { readonly type: 'network'; readonly network: string }
  | { readonly type: 'socket'; readonly socket?: string }
  | { readonly type: 'none' };

/**
 * Where the display listens. Replaces the first `<listen>` (others stay) and keeps the legacy
 * `listen` attribute in step, as libvirt formats both for address listens.
 */
export function setGraphicsListen(graphics: XmlElement, spec: GraphicsListenSpec): XmlElement {
  const attributes: Record<string, string> = { type: spec.type };
  if (spec.type === 'address') {
    if (spec.address.trim() === '') throw new XmlEditError('a listen address cannot be empty');
    attributes['address'] = spec.address;
  } else if (spec.type === 'network') {
    if (spec.network.trim() === '') throw new XmlEditError('a listen network cannot be empty');
    attributes['network'] = spec.network;
  } else if (spec.type === 'socket' && spec.socket !== undefined) {
    if (!spec.socket.startsWith('/'))
      throw new XmlEditError('a listen socket must be an absolute path');
    attributes['socket'] = spec.socket;
  }
  let next =
    spec.type === 'address'
      ? setAttribute(graphics, 'listen', spec.address)
      : removeAttribute(graphics, 'listen');
  if (spec.type !== 'socket') next = removeAttribute(next, 'socket');
  return updateDeviceChild(next, 'listen', () => createElement('listen', attributes), {
    keepEmpty: true,
  });
}

/** VNC/SPICE password (VNC uses the first 8 characters); null removes it. */
export function setGraphicsPassword(graphics: XmlElement, passwd: FieldPatch<string>): XmlElement {
  return patchAttribute(graphics, 'passwd', passwd === '' ? null : passwd);
}

/** Keymap such as en-us or de; null for the default. */
export function setGraphicsKeymap(graphics: XmlElement, keymap: FieldPatch<string>): XmlElement {
  if (typeof keymap === 'string' && !/^[A-Za-z0-9_-]+$/.test(keymap)) {
    throw new XmlEditError(`'${keymap}' is not a keymap name`);
  }
  return patchAttribute(graphics, 'keymap', keymap === '' ? null : keymap);
}

/** A new graphics element ready for addDevice. */
export function createGraphicsElement(spec: {
  type: 'vnc' | 'spice';
  listen?: GraphicsListenSpec;
  port?: number;
}): XmlElement {
  let graphics = createElement('graphics', { type: spec.type });
  graphics = setGraphicsPort(
    graphics,
    spec.port === undefined ? { autoport: true } : { autoport: false, port: spec.port },
  );
  return setGraphicsListen(graphics, spec.listen ?? { type: 'address', address: '127.0.0.1' });
}
