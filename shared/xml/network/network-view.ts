import { getAttribute } from '../element-attributes';
import { childElements, findElement, findText } from '../element-query';
import { documentRoot } from '../xml-document';
import { XmlEditError } from '../xml-edit-error';
import type { XmlDocument, XmlElement } from '../xml-node';
import { parseInteger, parseYesNo } from '../xml-values';

export interface DhcpHost {
  readonly mac: string | undefined;
  /** DHCPv6 client id. */
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly ip: string | undefined;
}

export interface NetworkIp {
  /** ipv4 (default) or ipv6. */
  readonly family: string;
  readonly address: string | undefined;
  readonly netmask: string | undefined;
  readonly prefix: number | undefined;
  readonly dhcp:
    | {
        readonly ranges: readonly {
          readonly start: string | undefined;
          readonly end: string | undefined;
        }[];
        readonly hosts: readonly DhcpHost[];
      }
    | undefined;
  readonly tftpRoot: string | undefined;
}

export interface NetworkView {
  readonly name: string | undefined;
  readonly uuid: string | undefined;
  /** Undefined: an isolated network. nat, route, open, bridge, private, vepa, passthrough, hostdev. */
  readonly forward:
    | {
        readonly mode: string;
        readonly dev: string | undefined;
        /** `<interface dev>` pool of a bridge/macvtap/passthrough network. */
        readonly interfaces: readonly string[];
      }
    | undefined;
  readonly bridge:
    | {
        readonly name: string | undefined;
        readonly stp: boolean | undefined;
        readonly delay: number | undefined;
      }
    | undefined;
  readonly mac: string | undefined;
  readonly mtu: number | undefined;
  /** `<domain name>`: DNS domain of the network's DHCP clients. */
  readonly domainName: string | undefined;
  readonly ips: readonly NetworkIp[];
}

/** The <network> root; any other document is refused. */
export function networkRoot(doc: XmlDocument): XmlElement {
  const root = documentRoot(doc);
  if (root.name !== 'network') throw new XmlEditError(`expected <network>, found <${root.name}>`);
  return root;
}

function readIp(ip: XmlElement): NetworkIp {
  const dhcp = findElement(ip, 'dhcp');
  const tftp = findElement(ip, 'tftp');
  return {
    family: getAttribute(ip, 'family') ?? 'ipv4',
    address: getAttribute(ip, 'address'),
    netmask: getAttribute(ip, 'netmask'),
    prefix: parseInteger(getAttribute(ip, 'prefix')),
    dhcp: dhcp && {
      ranges: childElements(dhcp, 'range').map((r) => ({
        start: getAttribute(r, 'start'),
        end: getAttribute(r, 'end'),
      })),
      hosts: childElements(dhcp, 'host').map((h) => ({
        mac: getAttribute(h, 'mac'),
        id: getAttribute(h, 'id'),
        name: getAttribute(h, 'name'),
        ip: getAttribute(h, 'ip'),
      })),
    },
    tftpRoot: tftp && getAttribute(tftp, 'root'),
  };
}

export function readNetwork(doc: XmlDocument): NetworkView {
  const root = networkRoot(doc);
  const forward = findElement(root, 'forward');
  const bridge = findElement(root, 'bridge');
  const attr = (path: string, name: string): string | undefined => {
    const el = findElement(root, path);
    return el && getAttribute(el, name);
  };
  return {
    name: findText(root, 'name'),
    uuid: findText(root, 'uuid'),
    forward: forward && {
      // libvirt's default forward mode is nat.
      mode: getAttribute(forward, 'mode') ?? 'nat',
      dev: getAttribute(forward, 'dev'),
      interfaces: childElements(forward, 'interface').flatMap((i) => getAttribute(i, 'dev') ?? []),
    },
    bridge: bridge && {
      name: getAttribute(bridge, 'name'),
      stp: parseYesNo(getAttribute(bridge, 'stp')),
      delay: parseInteger(getAttribute(bridge, 'delay')),
    },
    mac: attr('mac', 'address'),
    mtu: parseInteger(attr('mtu', 'size')),
    domainName: attr('domain', 'name'),
    ips: childElements(root, 'ip').map(readIp),
  };
}
