import { getAttribute, patchAttributes, type FieldPatch } from '../element-attributes';
import { appendChild, insertChild, removeChild, replaceChildAt } from '../element-children';
import { childElements } from '../element-query';
import { updateChild, updatePath, type ElementUpdate } from '../element-update';
import { updateRoot } from '../xml-document';
import { XmlEditError } from '../xml-edit-error';
import { createElement, type XmlDocument, type XmlElement } from '../xml-node';
import { networkRoot } from './network-view';

/** libvirt's formatting order of <network>'s children. */
export const NETWORK_CHILD_ORDER: readonly string[] =
  'name uuid metadata forward bridge mtu mac domain dns vlan virtualport bandwidth portgroup ip route'.split(
    ' ',
  );

function updateNetworkPath(
  doc: XmlDocument,
  path: readonly string[],
  update: ElementUpdate,
  options: { create?: boolean; keepEmpty?: boolean } = {},
): XmlDocument {
  networkRoot(doc);
  return updateRoot(doc, (root) => {
    const order = (p: readonly string[]) => (p.length === 0 ? NETWORK_CHILD_ORDER : undefined);
    return updatePath(root, path, update, { ...options, order }) ?? root;
  });
}

/** Forward mode (and device); null makes the network isolated. */
export function setNetworkForward(
  doc: XmlDocument,
  forward: { mode: string; dev?: FieldPatch<string> } | null,
): XmlDocument {
  if (forward === null) return updateNetworkPath(doc, ['forward'], () => null, { create: false });
  return updateNetworkPath(doc, ['forward'], (el) =>
    patchAttributes(el, { mode: forward.mode, dev: forward.dev }),
  );
}

export function setNetworkBridge(
  doc: XmlDocument,
  patch: { name?: FieldPatch<string>; stp?: FieldPatch<boolean>; delay?: FieldPatch<number> },
): XmlDocument {
  const stp = patch.stp === undefined || patch.stp === null ? patch.stp : patch.stp ? 'on' : 'off';
  return updateNetworkPath(doc, ['bridge'], (el) =>
    patchAttributes(el, { name: patch.name, stp, delay: patch.delay }),
  );
}

/** DNS domain of the network; null removes it. */
export function setNetworkDomainName(doc: XmlDocument, name: FieldPatch<string>): XmlDocument {
  if (name === null) return updateNetworkPath(doc, ['domain'], () => null, { create: false });
  return updateNetworkPath(doc, ['domain'], (el) => patchAttributes(el, { name }));
}

function updateIp(
  doc: XmlDocument,
  ipIndex: number,
  update: (ip: XmlElement) => XmlElement,
): XmlDocument {
  const root = networkRoot(doc);
  const ip = childElements(root, 'ip')[ipIndex];
  if (!ip) throw new XmlEditError(`the network has no <ip> number ${ipIndex}`);
  return updateRoot(doc, (r) => replaceChildAt(r, r.children.indexOf(ip), update(ip)));
}

const DHCP_ORDER = ['range', 'host', 'bootp'];

/** Replaces the DHCP ranges of `<ip>` number `ipIndex`; an empty list removes them. */
export function setDhcpRanges(
  doc: XmlDocument,
  ipIndex: number,
  ranges: readonly { start: string; end: string }[],
): XmlDocument {
  return updateIp(doc, ipIndex, (ip) =>
    updateChild(
      ip,
      'dhcp',
      (dhcp) => {
        const others = dhcp.children.filter((c) => !(c.kind === 'element' && c.name === 'range'));
        const fresh = ranges.map((r) => createElement('range', { start: r.start, end: r.end }));
        const next = { ...dhcp, children: [...fresh, ...others] };
        return next.children.length === 0 ? null : next;
      },
      { create: ranges.length > 0, order: ['tftp', 'dhcp'] },
    ),
  );
}

/** Adds a static DHCP lease (by MAC for IPv4, by id or name for IPv6). */
export function addDhcpHost(
  doc: XmlDocument,
  ipIndex: number,
  host: { mac?: string; id?: string; name?: string; ip: string },
): XmlDocument {
  if (!host.mac && !host.id && !host.name) {
    throw new XmlEditError('a DHCP host needs a MAC, an id or a name');
  }
  const element = patchAttributes(createElement('host'), {
    mac: host.mac,
    id: host.id,
    name: host.name,
    ip: host.ip,
  });
  return updateIp(doc, ipIndex, (ip) =>
    updateChild(
      ip,
      'dhcp',
      (dhcp) => {
        const at = dhcp.children.findIndex(
          (c) => c.kind === 'element' && DHCP_ORDER.indexOf(c.name) > DHCP_ORDER.indexOf('host'),
        );
        return at < 0 ? appendChild(dhcp, element) : insertChild(dhcp, at, element);
      },
      { order: ['tftp', 'dhcp'] },
    ),
  );
}

/** Removes static DHCP leases whose MAC, id or name equals `match`. */
export function removeDhcpHost(doc: XmlDocument, ipIndex: number, match: string): XmlDocument {
  return updateIp(doc, ipIndex, (ip) =>
    updateChild(
      ip,
      'dhcp',
      (dhcp) => {
        let next = dhcp;
        for (const host of childElements(dhcp, 'host')) {
          if (['mac', 'id', 'name'].some((a) => getAttribute(host, a) === match)) {
            next = removeChild(next, host);
          }
        }
        return next;
      },
      { create: false },
    ),
  );
}
