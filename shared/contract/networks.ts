import { z } from 'zod';
import { channel } from './channel';
import { parseIp, subnetOf, type IpFamily } from './network-addresses';

/**
 * Virtual networks of one host. A definition is validated here, at the border, so that a
 * malformed or overlapping range never reaches libvirt and nothing is half-created.
 */

export const networkModes = ['nat', 'route', 'isolated', 'open'] as const;
export type NetworkMode = (typeof networkModes)[number] | 'bridge' | 'other';

export interface NetworkIpSummary {
  family: IpFamily;
  address: string;
  prefix: number;
  dhcpRanges: { start: string; end: string }[];
  hosts: { mac?: string; name?: string; ip?: string }[];
}

export interface NetworkSummary {
  connectionId: string;
  name: string;
  uuid: string;
  mode: NetworkMode;
  /** The host device NAT/routed traffic leaves by, when set. */
  forwardDev: string | null;
  active: boolean;
  persistent: boolean;
  autostart: boolean;
  bridge: string | null;
  domain: string | null;
  ips: NetworkIpSummary[];
}

export interface NetworkLease {
  mac: string | null;
  ip: string;
  prefix: number;
  hostname: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface DefaultNetworkStatus {
  /** 'missing': no network named default; 'inactive': defined, not running. */
  status: 'missing' | 'inactive' | 'active';
}

const connectionIdSchema = z.uuid();
const networkNameSchema = z
  .string()
  .min(1, 'A name is required')
  .max(200)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, {
    message: 'A name may use letters, digits and _ . + - only, and must not start with . or -',
  });
const macSchema = z.string().regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, {
  message: 'A MAC address like 52:54:00:12:34:56',
});
const hostNameSchema = z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})$/, {
  message: 'A host name of letters, digits and -',
});

export const staticHostSchema = z
  .object({ mac: macSchema, ip: z.string().min(1), name: hostNameSchema.optional() })
  .strict();
export type StaticHost = z.infer<typeof staticHostSchema>;

const ipConfigSchema = (family: IpFamily) =>
  z
    .object({
      address: z.string(),
      prefix: z
        .number()
        .int()
        .min(family === 'ipv4' ? 8 : 64)
        .max(family === 'ipv4' ? 30 : 126),
      dhcp: z.object({ start: z.string(), end: z.string() }).strict().optional(),
      hosts: z.array(staticHostSchema).max(1000).default([]),
    })
    .strict()
    .superRefine((ip, ctx) => {
      const fail = (message: string, path: (string | number)[]): void => {
        ctx.addIssue({ code: 'custom', message, path });
      };
      const address = parseIp(family, ip.address);
      if (address === undefined) {
        fail(`${ip.address} is not an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`, ['address']);
        return;
      }
      const net = subnetOf(family, address, ip.prefix);
      if (address === net.first || (family === 'ipv4' && address === net.last)) {
        fail(
          `${ip.address}/${ip.prefix}: the host address must not be the network or broadcast address`,
          ['address'],
        );
      }
      const inside = (text: string, path: (string | number)[]): bigint | undefined => {
        const v = parseIp(family, text);
        if (v === undefined) fail(`${text} is not a valid address`, path);
        else if (v < net.first || v > net.last)
          fail(`${text} is outside the network ${ip.address}/${ip.prefix}`, path);
        else if (v === address) fail(`${text} is the network's own address`, path);
        else return v;
        return undefined;
      };
      if (ip.dhcp) {
        const start = inside(ip.dhcp.start, ['dhcp', 'start']);
        const end = inside(ip.dhcp.end, ['dhcp', 'end']);
        if (start !== undefined && end !== undefined) {
          if (start > end) fail(`The DHCP range starts after it ends`, ['dhcp', 'end']);
          if (address >= start && address <= end)
            fail(`The DHCP range includes the network's own address ${ip.address}`, ['dhcp']);
        }
      }
      const seen = new Set<string>();
      ip.hosts.forEach((h, i) => {
        inside(h.ip, ['hosts', i, 'ip']);
        const mac = h.mac.toLowerCase();
        if (seen.has(mac)) fail(`MAC ${h.mac} appears twice`, ['hosts', i, 'mac']);
        seen.add(mac);
      });
    });

export const networkDefineSchema = z
  .object({
    connectionId: connectionIdSchema,
    name: networkNameSchema,
    mode: z.enum(networkModes),
    /** route (and optionally nat): the host interface traffic leaves by. */
    forwardDev: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,15}$/, { message: 'An interface name like eth0' })
      .optional(),
    bridge: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,15}$/, { message: 'A bridge name of up to 15 characters' })
      .optional(),
    domain: z
      .string()
      .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/, { message: 'A DNS domain like example.lan' })
      .optional(),
    ipv4: ipConfigSchema('ipv4').optional(),
    ipv6: ipConfigSchema('ipv6').optional(),
    start: z.boolean().default(true),
    autostart: z.boolean().default(false),
  })
  .strict()
  .superRefine((n, ctx) => {
    if (n.mode === 'route' && !n.ipv4 && !n.ipv6) {
      ctx.addIssue({
        code: 'custom',
        message: 'A routed network needs an address',
        path: ['ipv4'],
      });
    }
    if (n.forwardDev && n.mode !== 'route' && n.mode !== 'nat') {
      ctx.addIssue({
        code: 'custom',
        message: 'Only NAT and routed networks have a forward device',
        path: ['forwardDev'],
      });
    }
  });
export type NetworkDefineInput = z.input<typeof networkDefineSchema>;

export const networkTargetSchema = z
  .object({ connectionId: connectionIdSchema, network: networkNameSchema })
  .strict();
export type NetworkTarget = z.infer<typeof networkTargetSchema>;

export const staticHostUpdateSchema = networkTargetSchema
  .extend({
    command: z.enum(['add', 'modify', 'delete']),
    host: staticHostSchema,
    family: z.enum(['ipv4', 'ipv6']).default('ipv4'),
  })
  .strict();

export interface NetworkEvents {
  /** A network was defined, started, stopped, undefined or changed: re-read net:list. */
  'net:changed': { connectionId: string; network: string; change: string };
}

export const networkChannels = {
  'net:list': channel<NetworkSummary[]>()(z.object({ connectionId: connectionIdSchema }).strict()),
  'net:define': channel<NetworkSummary>()(networkDefineSchema),
  'net:start': channel<void>()(networkTargetSchema),
  'net:stop': channel<void>()(networkTargetSchema),
  'net:setAutostart': channel<void>()(
    networkTargetSchema.extend({ autostart: z.boolean() }).strict(),
  ),
  'net:delete': channel<void>()(networkTargetSchema),
  'net:leases': channel<NetworkLease[]>()(networkTargetSchema),
  'net:updateStaticHost': channel<NetworkSummary>()(staticHostUpdateSchema),
  'net:defaultStatus': channel<DefaultNetworkStatus>()(
    z.object({ connectionId: connectionIdSchema }).strict(),
  ),
} as const;
