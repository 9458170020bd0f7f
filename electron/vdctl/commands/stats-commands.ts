import { domainRefFromRemote, domainRefToRemote } from '../../libvirt/facade/domain-ref';
import { enumFlags } from '../../libvirt/facade/enum-name';
import {
  typedParamsToRecord,
  type DomainStatsFlag,
  type DomainStatsGroup,
} from '../../libvirt/facade/stats';
import {
  virConnectGetAllDomainStatsFlags,
  virDomainStatsTypes,
} from '../../libvirt/protocol/constants.gen';
import type { DomainRef } from '../../libvirt/facade/domain-ref';
import { formatTypedParam } from '../format/typed-param-format';
import { lookupDomain } from '../lookup-object';
import type { VdctlCommand } from '../vdctl-command';
import { describeFailure } from '../vdctl-errors';
import type { OptionSpec } from '../command-args';

// Option name → stats group, in virsh's order.
const GROUPS: Readonly<Record<string, DomainStatsGroup>> = {
  state: 'state',
  'cpu-total': 'cpu-total',
  balloon: 'balloon',
  vcpu: 'vcpu',
  interface: 'interface',
  block: 'block',
  perf: 'perf',
  iothread: 'iothread',
  memory: 'memory',
  dirtyrate: 'dirtyrate',
};

const FILTERS: Readonly<Record<string, DomainStatsFlag>> = {
  'list-active': 'active',
  'list-inactive': 'inactive',
  'list-persistent': 'persistent',
  'list-transient': 'transient',
  'list-running': 'running',
  'list-paused': 'paused',
  'list-shutoff': 'shutoff',
  'list-other': 'other',
  enforce: 'enforce-stats',
  backing: 'backing',
  nowait: 'nowait',
};

const options: Record<string, OptionSpec> = {};
for (const name of Object.keys(GROUPS)) {
  options[name] = { type: 'boolean', help: `report the '${GROUPS[name]}' group` };
}
for (const [name, flag] of Object.entries(FILTERS)) {
  options[name] = { type: 'boolean', help: `flag '${flag}'` };
}

const domstats: VdctlCommand = {
  name: 'domstats',
  group: 'Monitoring',
  summary: 'statistics of some or all domains (every group unless groups are named)',
  synopsis:
    'domstats [--state] [--cpu-total] [--balloon] [--vcpu] [--interface] [--block] [...] [DOMAIN...]',
  options,
  args: [{ name: 'domain', help: 'only these domains (name, ID or UUID)', variadic: true }],
  async run(ctx, args) {
    const c = await ctx.connect();
    const groups = Object.keys(GROUPS)
      .filter((name) => args.flag(name))
      .map((name) => GROUPS[name] as DomainStatsGroup);
    const flags = Object.keys(FILTERS)
      .filter((name) => args.flag(name))
      .map((name) => FILTERS[name] as DomainStatsFlag);
    const doms: DomainRef[] = [];
    for (const name of args.list('domain')) doms.push(await lookupDomain(c, name));

    // The generated call, not the facade's record: virsh prints by C type (a double with
    // six decimals even when it is whole), and the record no longer knows the type.
    const { retStats } = await describeFailure('Failed to get domain statistics', () =>
      c.remote.connectGetAllDomainStats({
        doms: doms.map(domainRefToRemote),
        stats: enumFlags(virDomainStatsTypes, 'VIR_DOMAIN_STATS_', groups),
        flags: enumFlags(
          virConnectGetAllDomainStatsFlags,
          'VIR_CONNECT_GET_ALL_DOMAINS_STATS_',
          flags,
        ),
      }),
    );

    if (ctx.out.json) {
      ctx.out.document(
        retStats.map((r) => {
          const dom = domainRefFromRemote(r.dom);
          return {
            name: dom.name,
            uuid: dom.uuid,
            stats: typedParamsToRecord(r.params),
          };
        }),
      );
      return;
    }
    const blocks = retStats.map(
      (r) =>
        `Domain: '${r.dom.name}'\n` +
        r.params.map((p) => `  ${p.field}=${formatTypedParam(p.value)}\n`).join(''),
    );
    ctx.out.text(blocks.join('\n'));
  },
};

export const statsCommands: readonly VdctlCommand[] = [domstats];
