import {
  getAttribute,
  patchAttributes,
  setAttribute,
  type FieldPatch,
} from '../element-attributes';
import { findElement } from '../element-query';
import { updateChild } from '../element-update';
import { XmlEditError } from '../xml-edit-error';
import { createElement, type XmlElement } from '../xml-node';
import { assertInteger, parseInteger } from '../xml-values';
import { patchChildAttribute, updateDeviceChild } from './device-edit';

export interface BandwidthLimits {
  /** KiB/s. */
  readonly average: number | undefined;
  readonly peak: number | undefined;
  /** KiB. */
  readonly burst: number | undefined;
  /** Guaranteed minimum (inbound only), KiB/s. */
  readonly floor: number | undefined;
}

export interface InterfaceView {
  /** network, bridge, direct, user, ethernet, hostdev, vhostuser, vdpa … */
  readonly type: string | undefined;
  readonly source: {
    readonly network: string | undefined;
    readonly portgroup: string | undefined;
    readonly bridge: string | undefined;
    /** Host device of a direct (macvtap) interface. */
    readonly dev: string | undefined;
    /** macvtap mode: vepa, bridge, private, passthrough. */
    readonly mode: string | undefined;
  };
  readonly model: string | undefined;
  readonly mac: string | undefined;
  /** up, down; undefined means up. */
  readonly linkState: string | undefined;
  readonly targetDev: string | undefined;
  readonly bootOrder: number | undefined;
  readonly bandwidth: {
    readonly inbound: BandwidthLimits | undefined;
    readonly outbound: BandwidthLimits | undefined;
  };
}

function limits(el: XmlElement | undefined): BandwidthLimits | undefined {
  if (!el) return undefined;
  const n = (name: string): number | undefined => parseInteger(getAttribute(el, name));
  return { average: n('average'), peak: n('peak'), burst: n('burst'), floor: n('floor') };
}

export function readInterface(nic: XmlElement): InterfaceView {
  const source = findElement(nic, 'source');
  const src = (name: string): string | undefined => source && getAttribute(source, name);
  const attr = (path: string, name: string): string | undefined => {
    const el = findElement(nic, path);
    return el && getAttribute(el, name);
  };
  return {
    type: getAttribute(nic, 'type'),
    source: {
      network: src('network'),
      portgroup: src('portgroup'),
      bridge: src('bridge'),
      dev: src('dev'),
      mode: src('mode'),
    },
    model: attr('model', 'type'),
    mac: attr('mac', 'address'),
    linkState: attr('link', 'state'),
    targetDev: attr('target', 'dev'),
    bootOrder: parseInteger(attr('boot', 'order')),
    bandwidth: {
      inbound: limits(findElement(nic, 'bandwidth/inbound')),
      outbound: limits(findElement(nic, 'bandwidth/outbound')),
    },
  };
}

export type InterfaceSourceSpec =
  | { readonly type: 'network'; readonly network: string; readonly portgroup?: string }
  | { readonly type: 'bridge'; readonly bridge: string }
  | {
      readonly type: 'direct';
      readonly dev: string;
      readonly mode?: 'vepa' | 'bridge' | 'private' | 'passthrough';
    };

function sourceAttributes(spec: InterfaceSourceSpec): Record<string, string | null> {
  switch (spec.type) {
    case 'network':
      return { network: spec.network, portgroup: spec.portgroup ?? null };
    case 'bridge':
      return { bridge: spec.bridge };
    case 'direct':
      return { dev: spec.dev, mode: spec.mode ?? 'vepa' };
  }
}

/**
 * Connects the NIC to a virtual network, a bridge or a host device (macvtap). Same type:
 * only the named source attributes change. Another type: the type changes, the source is
 * rebuilt, and parts tied to the old type (virtualport) go.
 */
export function setInterfaceSource(nic: XmlElement, spec: InterfaceSourceSpec): XmlElement {
  for (const value of Object.values(sourceAttributes(spec))) {
    if (value === '') throw new XmlEditError('an interface source needs a non-empty name');
  }
  const sameType = getAttribute(nic, 'type') === spec.type;
  let next = setAttribute(nic, 'type', spec.type);
  if (!sameType) next = updateDeviceChild(next, 'virtualport', () => null, { create: false });
  return updateDeviceChild(next, 'source', (source) =>
    patchAttributes(sameType ? source : createElement('source'), sourceAttributes(spec)),
  );
}

export function setInterfaceModel(nic: XmlElement, model: FieldPatch<string>): XmlElement {
  if (model === null) return updateDeviceChild(nic, 'model', () => null, { create: false });
  return patchChildAttribute(nic, 'model', 'type', model);
}

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** Sets the MAC (unicast only); null lets libvirt generate one. Shut-off guests only. */
export function setInterfaceMac(nic: XmlElement, mac: FieldPatch<string>): XmlElement {
  if (typeof mac === 'string') {
    if (!MAC_RE.test(mac)) throw new XmlEditError(`'${mac}' is not a MAC address`);
    if (parseInt(mac.slice(0, 2), 16) & 1) throw new XmlEditError(`'${mac}' is a multicast MAC`);
  }
  if (mac === null) return updateDeviceChild(nic, 'mac', () => null, { create: false });
  return patchChildAttribute(nic, 'mac', 'address', mac?.toLowerCase());
}

/** Link up or down (works live through update-device); null removes `<link>`. */
export function setInterfaceLinkState(
  nic: XmlElement,
  state: FieldPatch<'up' | 'down'>,
): XmlElement {
  if (state === null) return updateDeviceChild(nic, 'link', () => null, { create: false });
  return patchChildAttribute(nic, 'link', 'state', state);
}

export interface BandwidthPatch {
  readonly average: number;
  readonly peak?: number;
  readonly burst?: number;
  readonly floor?: number;
}

/** QoS per direction; null removes that direction, an empty `<bandwidth>` goes too. */
export function setInterfaceBandwidth(
  nic: XmlElement,
  patch: { inbound?: BandwidthPatch | null; outbound?: BandwidthPatch | null },
): XmlElement {
  let next = nic;
  for (const direction of ['inbound', 'outbound'] as const) {
    const value = patch[direction];
    if (value === undefined) continue;
    if (value !== null) {
      for (const [name, n] of Object.entries(value)) {
        if (n !== undefined) assertInteger(n, `${direction} ${name}`, 0);
      }
      if (value.floor !== undefined && direction === 'outbound') {
        throw new XmlEditError('a bandwidth floor applies to inbound traffic only');
      }
    }
    next = updateDeviceChild(
      next,
      'bandwidth',
      (bandwidth) => {
        const updated = updateChild(
          bandwidth,
          direction,
          (el) =>
            value &&
            patchAttributes(el, {
              average: value.average,
              peak: value.peak ?? null,
              burst: value.burst ?? null,
              floor: value.floor ?? null,
            }),
          { create: value !== null, order: ['inbound', 'outbound'] },
        );
        return updated.children.length === 0 && updated.attributes.length === 0 ? null : updated;
      },
      { create: value !== null },
    );
  }
  return next;
}

/** A new NIC element ready for addDevice. */
export function createInterfaceElement(spec: {
  source: InterfaceSourceSpec;
  model?: string;
  mac?: string;
}): XmlElement {
  let nic = createElement('interface', { type: spec.source.type });
  if (spec.mac !== undefined) nic = setInterfaceMac(nic, spec.mac);
  nic = setInterfaceSource(nic, spec.source);
  return setInterfaceModel(nic, spec.model ?? 'virtio');
}
