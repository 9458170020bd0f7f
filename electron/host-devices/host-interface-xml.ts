import {
  childElements,
  documentRoot,
  findElement,
  findText,
  getAttribute,
  parseXml,
  type XmlElement,
} from '../../shared/xml';

/** What a node device of capability 'net' says about its interface. */
export interface NetNodeDevice {
  interface: string;
  mac: string | null;
  link: string | null;
  speedMbps: number | null;
}

/** What libvirt's interface XML (`virInterfaceGetXMLDesc`) says. */
export interface InterfaceDescription {
  name: string;
  type: string | null;
  mac: string | null;
  link: string | null;
  members: string[];
}

// libvirt reports an unknown speed as (unsigned) -1.
const UNKNOWN_SPEED = 4294967295;

function speed(link: XmlElement | undefined): number | null {
  const text = link && getAttribute(link, 'speed');
  if (text === undefined) return null;
  const value = Number(text);
  return Number.isInteger(value) && value > 0 && value !== UNKNOWN_SPEED ? value : null;
}

/** The net capability of a node device's XML, or null when it has none. */
export function readNetNodeDevice(xml: string): NetNodeDevice | null {
  const root = documentRoot(parseXml(xml));
  const cap = childElements(root, 'capability').find((c) => getAttribute(c, 'type') === 'net');
  const name = cap && findText(cap, 'interface')?.trim();
  if (!cap || !name) return null;
  const link = findElement(cap, 'link');
  return {
    interface: name,
    mac: findText(cap, 'address')?.trim() || null,
    link: (link && getAttribute(link, 'state')) ?? null,
    speedMbps: speed(link),
  };
}

/** An interface XML's type, MAC, link and (for a bridge) its member ports. */
export function readInterfaceXml(xml: string): InterfaceDescription {
  const root = documentRoot(parseXml(xml));
  const name = getAttribute(root, 'name');
  if (root.name !== 'interface' || !name) throw new Error('not an interface description');
  const type = getAttribute(root, 'type') ?? null;
  const mac = findElement(root, 'mac');
  const link = findElement(root, 'link');
  const bridge = type === 'bridge' ? findElement(root, 'bridge') : undefined;
  const members = bridge
    ? childElements(bridge, 'interface')
        .map((m) => getAttribute(m, 'name'))
        .filter((m): m is string => !!m)
    : [];
  return {
    name,
    type,
    mac: (mac && getAttribute(mac, 'address')) ?? null,
    link: (link && getAttribute(link, 'state')) ?? null,
    members,
  };
}
