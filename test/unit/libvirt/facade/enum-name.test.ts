import { describe, expect, it } from 'vitest';
import { enumFlags, enumName, enumValue } from '../../../../electron/libvirt/facade/enum-name';
import { flagBits } from '../../../../electron/libvirt/facade/flag-bits';
import {
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE,
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS,
  VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE,
  virConnectGetAllDomainStatsFlags,
  virDomainEventType,
  virNetworkUpdateCommand,
  virStoragePoolState,
} from '../../../../electron/libvirt/protocol/constants.gen';

describe('enum names from the generated tables', () => {
  it('maps values to kebab-case names below the prefix', () => {
    expect(enumName(virDomainEventType, 'VIR_DOMAIN_EVENT_', 2)).toBe('started');
    expect(enumName(virStoragePoolState, 'VIR_STORAGE_POOL_', 4)).toBe('inaccessible');
    expect(enumName(virNetworkUpdateCommand, 'VIR_NETWORK_UPDATE_COMMAND_', 4)).toBe('add-first');
  });

  it('treats only the largest …LAST entry as the sentinel', () => {
    // ADD_LAST (3) is a real command; LAST (5) is the sentinel; STATE_LAST ends the pool states.
    expect(enumName(virNetworkUpdateCommand, 'VIR_NETWORK_UPDATE_COMMAND_', 3)).toBe('add-last');
    expect(enumName(virNetworkUpdateCommand, 'VIR_NETWORK_UPDATE_COMMAND_', 5)).toBe('unknown');
    expect(enumName(virStoragePoolState, 'VIR_STORAGE_POOL_', 5)).toBe('unknown');
    expect(enumValue(virNetworkUpdateCommand, 'VIR_NETWORK_UPDATE_COMMAND_', 'add-last')).toBe(3);
    expect(() =>
      enumValue(virStoragePoolState, 'VIR_STORAGE_POOL_', 'state-last' as 'running'),
    ).toThrow(TypeError);
  });

  it('gives "unknown" for values newer than our tables and throws for unknown names', () => {
    expect(enumName(virDomainEventType, 'VIR_DOMAIN_EVENT_', 42)).toBe('unknown');
    expect(() => enumValue(virDomainEventType, 'VIR_DOMAIN_EVENT_', 'nope' as 'started')).toThrow(
      TypeError,
    );
    // Only the kebab spelling: no way to smuggle in another key.
    expect(() =>
      enumValue(virDomainEventType, 'VIR_DOMAIN_EVENT_', 'STARTED' as 'started'),
    ).toThrow(TypeError);
  });

  it('ORs flags as unsigned 32-bit numbers, bit 31 included', () => {
    expect(
      enumFlags(virConnectGetAllDomainStatsFlags, 'VIR_CONNECT_GET_ALL_DOMAINS_STATS_', [
        'active',
        'enforce-stats',
      ]),
    ).toBe(
      VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE + VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS,
    );
    expect(flagBits([true, VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE], [false, 1], [true, 2])).toBe(
      2 ** 31 + 2,
    );
    expect(flagBits()).toBe(0);
  });
});
