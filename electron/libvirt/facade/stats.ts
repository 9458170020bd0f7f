import { virConnectGetAllDomainStatsFlags, virDomainStatsTypes } from '../protocol/constants.gen';
import {
  VIR_TYPED_PARAM_BOOLEAN,
  VIR_TYPED_PARAM_DOUBLE,
  VIR_TYPED_PARAM_INT,
  VIR_TYPED_PARAM_LLONG,
  VIR_TYPED_PARAM_STRING,
  VIR_TYPED_PARAM_UINT,
  VIR_TYPED_PARAM_ULLONG,
  type RemoteTypedParam,
  type RemoteTypedParamValue,
} from '../protocol/remote.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import { domainRefFromRemote, domainRefToRemote, type DomainRef } from './domain-ref';
import { enumFlags, type EnumName } from './enum-name';

/** A typed-parameter list as a record: 64-bit integers stay bigint, booleans are booleans. */
export type TypedParamValue = number | bigint | string | boolean;
export type TypedParamRecord = Record<string, TypedParamValue>;

/** The C type each field is sent as (the daemon rejects a field sent with the wrong type). */
export type TypedParamType = 'int' | 'uint' | 'llong' | 'ullong' | 'double' | 'boolean' | 'string';

function paramValue(value: RemoteTypedParamValue): TypedParamValue {
  switch (value.type) {
    case VIR_TYPED_PARAM_INT:
      return value.i;
    case VIR_TYPED_PARAM_UINT:
      return value.ui;
    case VIR_TYPED_PARAM_LLONG:
      return value.l;
    case VIR_TYPED_PARAM_ULLONG:
      return value.ul;
    case VIR_TYPED_PARAM_DOUBLE:
      return value.d;
    case VIR_TYPED_PARAM_BOOLEAN:
      return value.b !== 0;
    case VIR_TYPED_PARAM_STRING:
      return value.s;
  }
}

/**
 * Typed parameters → record. A field sent twice (libvirt allows that for list-like fields
 * such as migrate_disks) keeps its last value; use the raw list when repeats matter.
 */
export function typedParamsToRecord(params: readonly RemoteTypedParam[]): TypedParamRecord {
  const record: TypedParamRecord = {};
  for (const p of params) record[p.field] = paramValue(p.value);
  return record;
}

const INT32: readonly [bigint, bigint] = [-(2n ** 31n), 2n ** 31n - 1n];
const UINT32: readonly [bigint, bigint] = [0n, 2n ** 32n - 1n];
const INT64: readonly [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];
const UINT64: readonly [bigint, bigint] = [0n, 2n ** 64n - 1n];

function integer(field: string, v: TypedParamValue, [min, max]: readonly [bigint, bigint]): bigint {
  const n =
    typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : null;
  if (n === null || n < min || n > max) {
    throw new TypeError(
      `typed parameter ${field}: ${String(v)} is not an integer in [${min}, ${max}]`,
    );
  }
  return n;
}

/** One field → the wire form, checking the JS value fits the C type. */
export function typedParam(
  field: string,
  type: TypedParamType,
  v: TypedParamValue,
): RemoteTypedParam {
  const value = ((): RemoteTypedParamValue => {
    switch (type) {
      case 'int':
        return { type: VIR_TYPED_PARAM_INT, i: Number(integer(field, v, INT32)) };
      case 'uint':
        return { type: VIR_TYPED_PARAM_UINT, ui: Number(integer(field, v, UINT32)) };
      case 'llong':
        return { type: VIR_TYPED_PARAM_LLONG, l: integer(field, v, INT64) };
      case 'ullong':
        return { type: VIR_TYPED_PARAM_ULLONG, ul: integer(field, v, UINT64) };
      case 'double':
        if (typeof v !== 'number')
          throw new TypeError(`typed parameter ${field}: expected a number`);
        return { type: VIR_TYPED_PARAM_DOUBLE, d: v };
      case 'boolean':
        if (typeof v !== 'boolean')
          throw new TypeError(`typed parameter ${field}: expected a boolean`);
        return { type: VIR_TYPED_PARAM_BOOLEAN, b: v ? 1 : 0 };
      case 'string':
        if (typeof v !== 'string')
          throw new TypeError(`typed parameter ${field}: expected a string`);
        return { type: VIR_TYPED_PARAM_STRING, s: v };
    }
  })();
  return { field, value };
}

/** Record → typed parameters; every field needs its C type in `types`. */
export function recordToTypedParams(
  record: Readonly<TypedParamRecord>,
  types: Readonly<Record<string, TypedParamType>>,
): RemoteTypedParam[] {
  return Object.entries(record).map(([field, v]) => {
    const type = types[field];
    if (!type) throw new TypeError(`typed parameter ${field}: no type given`);
    return typedParam(field, type, v);
  });
}

export type DomainStatsGroup = EnumName<typeof virDomainStatsTypes, 'VIR_DOMAIN_STATS_'>;
export type DomainStatsFlag = EnumName<
  typeof virConnectGetAllDomainStatsFlags,
  'VIR_CONNECT_GET_ALL_DOMAINS_STATS_'
>;

export interface GetAllDomainStatsOptions {
  /** VIR_DOMAIN_STATS_* bits or group names ('state', 'cpu-total', …); 0/empty = all groups. */
  stats?: number | readonly DomainStatsGroup[];
  /** VIR_CONNECT_GET_ALL_DOMAINS_STATS_* bits or names ('active', 'nowait', …). */
  flags?: number | readonly DomainStatsFlag[];
  /** Only these domains (virDomainListGetStats); then state filters in `flags` are not allowed. */
  domains?: readonly DomainRef[];
}

export interface DomainStatsRecord {
  dom: DomainRef;
  stats: TypedParamRecord;
}

/**
 * CONNECT_GET_ALL_DOMAIN_STATS: one round trip for every domain's counters (flags 0 = every
 * domain, like virsh domstats). Pass `nowait` in a UI tick so a domain busy in a job does not
 * stall the call.
 */
export async function connectGetAllDomainStats(
  c: LibvirtClient,
  options: GetAllDomainStatsOptions = {},
): Promise<DomainStatsRecord[]> {
  const stats =
    typeof options.stats === 'object'
      ? enumFlags(virDomainStatsTypes, 'VIR_DOMAIN_STATS_', options.stats)
      : (options.stats ?? 0) >>> 0;
  const flags =
    typeof options.flags === 'object'
      ? enumFlags(
          virConnectGetAllDomainStatsFlags,
          'VIR_CONNECT_GET_ALL_DOMAINS_STATS_',
          options.flags,
        )
      : (options.flags ?? 0) >>> 0;
  const { retStats } = await c.remote.connectGetAllDomainStats({
    doms: (options.domains ?? []).map(domainRefToRemote),
    stats,
    flags,
  });
  return retStats.map((r) => ({
    dom: domainRefFromRemote(r.dom),
    stats: typedParamsToRecord(r.params),
  }));
}
