import { describe, expect, it } from 'vitest';
import {
  recordToTypedParams,
  typedParam,
  typedParamsToRecord,
} from '../../../../electron/libvirt/facade/stats';
import { migrationParams } from '../../../../electron/libvirt/facade/domain-migrate';
import { remoteTypedParamCodec } from '../../../../electron/libvirt/protocol/remote.gen';
import { decode, encode } from '../protocol/codec-helpers';

describe('typed parameters', () => {
  it('record ⇄ wire keeps each C type (64-bit as bigint, booleans as booleans)', () => {
    const types = {
      'state.state': 'int',
      'vcpu.current': 'uint',
      delta: 'llong',
      'cpu.time': 'ullong',
      ratio: 'double',
      enabled: 'boolean',
      'dirtyrate.calc_mode': 'string',
    } as const;
    const record = {
      'state.state': -1,
      'vcpu.current': 4294967295,
      delta: -(2n ** 63n),
      'cpu.time': 2n ** 64n - 1n,
      ratio: 0.25,
      enabled: true,
      'dirtyrate.calc_mode': 'page-sampling',
    };
    const params = recordToTypedParams(record, types);
    // Through the generated codec, as on the wire.
    const back = params.map((p) => decode(remoteTypedParamCodec, encode(remoteTypedParamCodec, p)));
    expect(typedParamsToRecord(back)).toEqual(record);
  });

  it('refuses values that do not fit the C type', () => {
    expect(() => typedParam('a', 'int', 2 ** 31)).toThrow(TypeError);
    expect(() => typedParam('a', 'uint', -1)).toThrow(TypeError);
    expect(() => typedParam('a', 'ullong', -1n)).toThrow(TypeError);
    expect(() => typedParam('a', 'llong', 1.5)).toThrow(TypeError);
    expect(() => typedParam('a', 'string', 5)).toThrow(TypeError);
    expect(() => typedParam('a', 'boolean', 1)).toThrow(TypeError);
    expect(() => recordToTypedParams({ x: 1 }, {})).toThrow(/no type given/);
  });

  it('builds migration parameters with libvirt’s field names and types', () => {
    const params = migrationParams({
      uri: 'tcp://10.0.0.2',
      destName: 'web02',
      bandwidthMiBs: 100,
      migrateDisks: ['vda', 'vdb'],
      disksPort: 49153,
      parallelConnections: 4,
    });
    expect(params).toEqual([
      { field: 'migrate_uri', value: { type: 7, s: 'tcp://10.0.0.2' } },
      { field: 'destination_name', value: { type: 7, s: 'web02' } },
      { field: 'bandwidth', value: { type: 4, ul: 100n } },
      { field: 'migrate_disks', value: { type: 7, s: 'vda' } },
      { field: 'migrate_disks', value: { type: 7, s: 'vdb' } },
      { field: 'disks_port', value: { type: 1, i: 49153 } },
      { field: 'parallel.connections', value: { type: 1, i: 4 } },
    ]);
    expect(migrationParams({})).toEqual([]);
  });
});
