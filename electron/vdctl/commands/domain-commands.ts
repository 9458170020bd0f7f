import type { LibvirtClient } from '../../libvirt/client/libvirt-client';
import { isLibvirtError } from '../../libvirt/errors';
import {
  domainGetAutostart,
  domainGetInfo,
  domainGetState,
  domainGetXml,
  domainHasManagedSave,
  domainIsPersistent,
  domainList,
  domainStateName,
  type DomainRef,
} from '../../libvirt/facade/domain';
import {
  VIR_CONNECT_LIST_DOMAINS_ACTIVE,
  VIR_CONNECT_LIST_DOMAINS_INACTIVE,
  VIR_ERR_NO_DOMAIN,
  VIR_ERR_NO_SUPPORT,
} from '../../libvirt/protocol/constants.gen';
import {
  domainGetMessages,
  domainGetOsType,
  domainGetSecurityLabel,
  nodeGetSecurityModel,
} from '../domain-security';
import { formatFields, type Field } from '../format/field-list-format';
import type { JsonValue } from '../format/json-format';
import { formatTable } from '../format/table-format';
import { compareNames, domainStateWord, yesNo } from '../format/virsh-words';
import { lookupDomain } from '../lookup-object';
import type { VdctlCommand } from '../vdctl-command';
import { describeFailure } from '../vdctl-errors';

const DOMAIN_ARG = { name: 'domain', help: 'domain name, ID or UUID', required: true } as const;
// virDomainInfo.maxMem is an unsigned long; virsh prints "no limit" for this value.
const UINT_MAX = 0xffffffffn;

/** virsh's order: running domains by ID, then shut-off ones by name. */
function compareDomains(a: DomainRef, b: DomainRef): number {
  if (a.id >= 0 && b.id >= 0) return a.id - b.id;
  if (a.id >= 0) return -1;
  if (b.id >= 0) return 1;
  return compareNames(a.name, b.name);
}

/** Null when the domain vanished between listing and asking (as virsh, skip it). */
async function stateOrGone(c: LibvirtClient, dom: DomainRef) {
  try {
    return await domainGetState(c, dom);
  } catch (error) {
    if (isLibvirtError(error, VIR_ERR_NO_DOMAIN)) return null;
    throw error;
  }
}

const list: VdctlCommand = {
  name: 'list',
  group: 'Domain',
  summary: 'list domains (running ones unless --all or --inactive)',
  synopsis: 'list [--all | --inactive] [--name] [--uuid]',
  options: {
    all: { type: 'boolean', help: 'running and shut-off domains' },
    inactive: { type: 'boolean', help: 'only shut-off domains' },
    name: { type: 'boolean', help: 'print only the names' },
    uuid: { type: 'boolean', help: 'print only the UUIDs (with --name: UUID and name)' },
  },
  async run(ctx, args) {
    const c = await ctx.connect();
    let flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    if (args.flag('inactive')) flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    if (args.flag('all'))
      flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    const refs = (
      await describeFailure('Failed to list domains', () => domainList(c, { flags }))
    ).sort(compareDomains);

    if (!ctx.out.json && (args.flag('name') || args.flag('uuid'))) {
      for (const dom of refs) {
        const parts = [args.flag('uuid') ? dom.uuid : null, args.flag('name') ? dom.name : null];
        ctx.out.text(`${parts.filter((p) => p !== null).join(' ')}\n`);
      }
      return;
    }
    const states = await Promise.all(refs.map((dom) => stateOrGone(c, dom)));
    const rows = refs.flatMap((dom, i) => {
      const state = states[i];
      return state ? [{ dom, state: state.state }] : [];
    });
    if (ctx.out.json) {
      ctx.out.document(
        rows.map(({ dom, state }) => ({
          id: dom.id >= 0 ? dom.id : null,
          name: dom.name,
          uuid: dom.uuid,
          state: domainStateName(state),
          stateCode: state,
        })),
      );
      return;
    }
    const table = rows.map(({ dom, state }) => [
      dom.id >= 0 ? String(dom.id) : '-',
      dom.name,
      domainStateWord(state),
    ]);
    ctx.out.text(formatTable(['Id', 'Name', 'State'], table, { header: !ctx.out.quiet }));
  },
};

/** A value or null when the call failed: dominfo shows "unknown" for such lines, as virsh. */
async function optional<T>(promise: Promise<T>): Promise<T | null> {
  return promise.catch(() => null);
}

const dominfo: VdctlCommand = {
  name: 'dominfo',
  group: 'Domain',
  summary: 'basic information about a domain',
  synopsis: 'dominfo DOMAIN',
  args: [DOMAIN_ARG],
  async run(ctx, args) {
    const c = await ctx.connect();
    const dom = await lookupDomain(c, args.required('domain'));
    const [osType, info, persistent, autostart, managedSave, messages] = await Promise.all([
      optional(domainGetOsType(c, dom)),
      domainGetInfo(c, dom),
      optional(domainIsPersistent(c, dom)),
      optional(domainGetAutostart(c, dom)),
      optional(domainHasManagedSave(c, dom)),
      optional(domainGetMessages(c, dom)),
    ]);
    // No security driver support is normal (virsh skips the lines); other errors fail.
    const model = await nodeGetSecurityModel(c).catch((error: unknown) => {
      if (isLibvirtError(error, VIR_ERR_NO_SUPPORT)) return null;
      throw error;
    });
    const label = model && model.model !== '' ? await domainGetSecurityLabel(c, dom) : null;

    if (ctx.out.json) {
      const doc: Record<string, JsonValue> = {
        id: dom.id >= 0 ? dom.id : null,
        name: dom.name,
        uuid: dom.uuid,
        osType,
        state: info.stateName,
        stateCode: info.state,
        cpus: info.nrVirtCpu,
        cpuTimeNs: info.cpuTimeNs,
        maxMemoryKiB: info.maxMemKiB,
        usedMemoryKiB: info.memoryKiB,
        persistent,
        autostart,
        managedSave,
        security:
          model && model.model !== ''
            ? {
                model: model.model,
                doi: model.doi,
                label: label?.label || null,
                enforcing: label?.label ? label.enforcing : null,
              }
            : null,
        messages: messages ?? [],
      };
      ctx.out.document(doc);
      return;
    }

    const fields: Field[] = [
      ['Id:', dom.id >= 0 ? String(dom.id) : '-'],
      ['Name:', dom.name],
      ['UUID:', dom.uuid],
    ];
    if (osType !== null) fields.push(['OS Type:', osType]);
    fields.push(['State:', domainStateWord(info.state)], ['CPU(s):', String(info.nrVirtCpu)]);
    if (info.cpuTimeNs !== 0n) {
      fields.push(['CPU time:', `${(Number(info.cpuTimeNs) / 1e9).toFixed(1)}s`]);
    }
    fields.push(
      ['Max memory:', info.maxMemKiB === UINT_MAX ? 'no limit' : `${info.maxMemKiB} KiB`],
      ['Used memory:', `${info.memoryKiB} KiB`],
      ['Persistent:', persistent === null ? 'unknown' : yesNo(persistent)],
    );
    if (autostart !== null) fields.push(['Autostart:', autostart ? 'enable' : 'disable']);
    fields.push(['Managed save:', managedSave === null ? 'unknown' : yesNo(managedSave)]);
    if (model && model.model !== '') {
      fields.push(['Security model:', model.model], ['Security DOI:', model.doi]);
      if (label && label.label !== '') {
        fields.push([
          'Security label:',
          `${label.label} (${label.enforcing ? 'enforcing' : 'permissive'})`,
        ]);
      }
    }
    (messages ?? []).forEach((message, i) => fields.push([i === 0 ? 'Messages:' : '', message]));
    ctx.out.text(formatFields(fields, 15));
  },
};

const dumpxml: VdctlCommand = {
  name: 'dumpxml',
  group: 'Domain',
  summary: "a domain's XML definition",
  synopsis: 'dumpxml [--inactive] [--security-info] DOMAIN',
  options: {
    inactive: { type: 'boolean', help: 'the persistent definition, not the running one' },
    'security-info': { type: 'boolean', help: 'include secrets such as VNC passwords' },
  },
  args: [DOMAIN_ARG],
  async run(ctx, args) {
    const c = await ctx.connect();
    const dom = await lookupDomain(c, args.required('domain'));
    const xml = await domainGetXml(c, dom, {
      inactive: args.flag('inactive'),
      secure: args.flag('security-info'),
    });
    if (ctx.out.json) ctx.out.document({ name: dom.name, uuid: dom.uuid, xml });
    else ctx.out.text(xml);
  },
};

export const domainCommands: readonly VdctlCommand[] = [list, dominfo, dumpxml];
