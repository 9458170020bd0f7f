import type { z } from 'zod';
import type { networkDefineSchema, StaticHost } from '../../shared/contract/networks';

type Definition = z.output<typeof networkDefineSchema>;

const esc = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

/** `<host mac=… ip=… name=…/>`, the element both the definition and networkUpdate take. */
export function staticHostXml(host: StaticHost): string {
  const name = host.name !== undefined ? ` name='${esc(host.name)}'` : '';
  return `<host mac='${esc(host.mac.toLowerCase())}'${name} ip='${esc(host.ip)}'/>`;
}

function ipXml(family: 'ipv4' | 'ipv6', ip: NonNullable<Definition['ipv4']>): string {
  const dhcp =
    ip.dhcp || ip.hosts.length > 0
      ? `<dhcp>${ip.dhcp ? `<range start='${esc(ip.dhcp.start)}' end='${esc(ip.dhcp.end)}'/>` : ''}${ip.hosts.map(staticHostXml).join('')}</dhcp>`
      : '';
  return `<ip family='${family}' address='${esc(ip.address)}' prefix='${ip.prefix}'>${dhcp}</ip>`;
}

/** The network XML of a validated definition (libvirt picks the UUID, MAC and a bridge name). */
export function networkXml(def: Definition): string {
  const forward =
    def.mode === 'isolated'
      ? ''
      : `<forward mode='${def.mode}'${def.forwardDev ? ` dev='${esc(def.forwardDev)}'` : ''}/>`;
  const bridge = def.bridge ? `<bridge name='${esc(def.bridge)}'/>` : '';
  const domain = def.domain ? `<domain name='${esc(def.domain)}'/>` : '';
  const ips = [def.ipv4 && ipXml('ipv4', def.ipv4), def.ipv6 && ipXml('ipv6', def.ipv6)]
    .filter(Boolean)
    .join('');
  return `<network><name>${esc(def.name)}</name>${forward}${bridge}${domain}${ips}</network>`;
}
