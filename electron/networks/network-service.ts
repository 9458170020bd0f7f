import type { ParsedInputOf } from '../../shared/contract/channels';
import type {
  DefaultNetworkStatus,
  NetworkLease,
  NetworkMode,
  NetworkSummary,
  NetworkTarget,
} from '../../shared/contract/networks';
import { parseXml, readNetwork } from '../../shared/xml';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import {
  networkDefineXml,
  networkDestroy,
  networkGetDhcpLeases,
  networkGetXml,
  networkList,
  networkLookup,
  networkSetAutostart,
  networkStart,
  networkUndefine,
  networkUpdate,
  type NetworkRef,
} from '../libvirt/facade/network';
import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import { followHosts, type HostFollower } from '../storage/follow-hosts';
import type { HostDirectory } from '../vms/host-directory';
import { vmActionError, vmRefusal } from '../vms/vm-action-error';
import { networkXml, staticHostXml } from './network-xml';

const KNOWN_MODES: readonly string[] = ['nat', 'route', 'open', 'bridge'];

/** Virtual networks of connected hosts, read from libvirt on each call; 'net:changed' after changes. */
export class NetworkService {
  private follower: HostFollower | null = null;

  constructor(
    private readonly options: { hosts: HostDirectory; events: EventHub; logger: Logger },
  ) {}

  /** Follows libvirt's network lifecycle events on every connected host ('net:changed'). */
  follow(): void {
    if (this.follower) return;
    this.follower = followHosts(
      this.options.hosts,
      (host) =>
        host.client.events.onNetworkEvent((e) =>
          this.changed(host.connectionId, e.net.name, e.eventName),
        ),
      this.options.logger,
      'network',
    );
  }

  /** Settles once every connected host's network events are registered (tests, start-up). */
  async whenFollowing(): Promise<void> {
    await this.follower?.ready();
  }

  dispose(): void {
    this.follower?.stop();
    this.follower = null;
  }

  private host(connectionId: string): { c: LibvirtClient; alias: string } {
    const host = this.options.hosts.host(connectionId);
    if (!host) throw vmRefusal(`${this.options.hosts.alias(connectionId)} is not connected`);
    return { c: host.client, alias: host.alias };
  }

  private changed(connectionId: string, network: string, change: string): void {
    this.options.events.emit('net:changed', { connectionId, network, change });
  }

  private async act<T>(
    t: NetworkTarget,
    verb: string,
    fn: (c: LibvirtClient, net: NetworkRef) => Promise<T>,
    change?: string,
  ): Promise<T> {
    const { c, alias } = this.host(t.connectionId);
    let result: T;
    try {
      result = await fn(c, await networkLookup(c, t.network));
    } catch (err) {
      throw vmActionError(verb, `network ${t.network}`, alias, err);
    }
    if (change) this.changed(t.connectionId, t.network, change);
    return result;
  }

  async list(connectionId: string): Promise<NetworkSummary[]> {
    const { c } = this.host(connectionId);
    return Promise.all(
      (await networkList(c)).map(async (n): Promise<NetworkSummary> => {
        const view = readNetwork(parseXml(await networkGetXml(c, n)));
        const forward = view.forward?.mode;
        const mode: NetworkMode =
          forward === undefined
            ? 'isolated'
            : KNOWN_MODES.includes(forward)
              ? (forward as NetworkMode)
              : 'other';
        return {
          connectionId,
          name: n.name,
          uuid: n.uuid,
          mode,
          forwardDev: view.forward?.dev ?? null,
          active: n.active,
          persistent: n.persistent,
          autostart: n.autostart,
          bridge: n.bridge ?? null,
          domain: view.domainName ?? null,
          ips: view.ips.map((ip) => ({
            family: ip.family === 'ipv6' ? 'ipv6' : 'ipv4',
            address: ip.address ?? '',
            prefix: ip.prefix ?? netmaskPrefix(ip.netmask),
            dhcpRanges: (ip.dhcp?.ranges ?? []).map((r) => ({
              start: r.start ?? '',
              end: r.end ?? '',
            })),
            hosts: (ip.dhcp?.hosts ?? []).map((h) => ({
              ...(h.mac !== undefined ? { mac: h.mac } : {}),
              ...(h.name !== undefined ? { name: h.name } : {}),
              ...(h.ip !== undefined ? { ip: h.ip } : {}),
            })),
          })),
        };
      }),
    );
  }

  private async summary(connectionId: string, name: string): Promise<NetworkSummary> {
    const found = (await this.list(connectionId)).find((n) => n.name === name);
    if (!found) throw vmRefusal(`Network ${name} vanished`);
    return found;
  }

  /** Defines, starts and sets autostart; a failed step undoes the ones before it. */
  async define(input: ParsedInputOf<'net:define'>): Promise<NetworkSummary> {
    const { c, alias } = this.host(input.connectionId);
    if ((await networkList(c)).some((n) => n.name === input.name)) {
      throw vmRefusal(`A network named ${input.name} already exists on ${alias}`, 'name');
    }
    let net: NetworkRef;
    try {
      net = await networkDefineXml(c, networkXml(input), { validate: true });
    } catch (err) {
      throw vmActionError('define', `network ${input.name}`, alias, err);
    }
    const undo: Array<() => Promise<void>> = [() => networkUndefine(c, net)];
    try {
      if (input.start) {
        await networkStart(c, net);
        undo.unshift(() => networkDestroy(c, net));
      }
      if (input.autostart) await networkSetAutostart(c, net, true);
    } catch (err) {
      for (const step of undo) await step().catch(() => undefined);
      throw vmActionError('set up', `network ${input.name}`, alias, err);
    }
    this.changed(input.connectionId, input.name, 'defined');
    return this.summary(input.connectionId, input.name);
  }

  start = (t: NetworkTarget) => this.act(t, 'start', networkStart, 'started');
  stop = (t: NetworkTarget) => this.act(t, 'stop', networkDestroy, 'stopped');
  setAutostart = (t: NetworkTarget, autostart: boolean) =>
    this.act(t, 'set autostart of', (c, n) => networkSetAutostart(c, n, autostart), 'changed');

  /** Refused while running: stopping is its own step (VMs on it lose their network). */
  async delete(t: NetworkTarget): Promise<void> {
    const net = (await this.list(t.connectionId)).find((n) => n.name === t.network);
    if (!net) throw vmRefusal(`There is no network ${t.network}`, 'network');
    if (net.active) throw vmRefusal(`Network ${t.network} is running: stop it before deleting it`);
    await this.act(t, 'delete', networkUndefine, 'undefined');
  }

  async leases(t: NetworkTarget): Promise<NetworkLease[]> {
    const leases = await this.act(t, 'read leases of', (c, n) => networkGetDhcpLeases(c, n));
    return leases.map((l) => ({
      mac: l.mac,
      ip: l.ipaddr,
      prefix: l.prefix,
      hostname: l.hostname,
      expiresAt: Number(l.expiryTime) * 1000,
    }));
  }

  /** Changes one static DHCP host in the definition, and live when the network runs. */
  async updateStaticHost(input: ParsedInputOf<'net:updateStaticHost'>): Promise<NetworkSummary> {
    const t = { connectionId: input.connectionId, network: input.network };
    const net = await this.summary(t.connectionId, t.network);
    const index = net.ips.findIndex((ip) => ip.family === input.family);
    if (index < 0) throw vmRefusal(`Network ${t.network} has no ${input.family} address`, 'family');
    await this.act(
      t,
      `${input.command} a static host in`,
      (c, n) =>
        networkUpdate(c, n, {
          command: input.command === 'add' ? 'add-last' : input.command,
          section: 'ip-dhcp-host',
          parentIndex: index,
          xml: staticHostXml(input.host),
          live: net.active,
          config: net.persistent,
        }),
      'changed',
    );
    return this.summary(t.connectionId, t.network);
  }

  async defaultStatus(connectionId: string): Promise<DefaultNetworkStatus> {
    const net = (await this.list(connectionId)).find((n) => n.name === 'default');
    return { status: !net ? 'missing' : net.active ? 'active' : 'inactive' };
  }
}

function netmaskPrefix(netmask: string | undefined): number {
  if (!netmask) return 0;
  return netmask
    .split('.')
    .reduce((sum, octet) => sum + (Number(octet) >>> 0).toString(2).replace(/0/g, '').length, 0);
}
