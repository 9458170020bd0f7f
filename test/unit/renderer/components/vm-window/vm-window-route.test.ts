import { describe, expect, it } from 'vitest';
import {
  parseVmWindowRoute,
  vmWindowRouteHash,
} from '../../../../../renderer/src/components/vm-window/vm-window-route';

const CONN = '0f8c7a4e-1b2c-4d3e-8f90-123456789abc';
const VM = 'AABBCCDD-1122-3344-5566-77889900AABB';

describe('VM window route', () => {
  it('reads the connection, the VM and no tab', () => {
    expect(parseVmWindowRoute(`#/vm/${CONN}/${VM}`)).toEqual({
      connectionId: CONN,
      uuid: VM.toLowerCase(),
      tab: null,
    });
  });

  it('reads a known tab and refuses an unknown one', () => {
    expect(parseVmWindowRoute(`#/vm/${CONN}/${VM}/xml`)?.tab).toBe('xml');
    expect(parseVmWindowRoute(`#/vm/${CONN}/${VM}/snapshots`)?.tab).toBe('snapshots');
    expect(parseVmWindowRoute(`#/vm/${CONN}/${VM}/migrate`)).toBeNull();
  });

  it('refuses other pages and malformed ids', () => {
    expect(parseVmWindowRoute(`#/console/${CONN}/${VM}`)).toBeNull();
    expect(parseVmWindowRoute(`#/vm/${CONN}/not-a-uuid`)).toBeNull();
    expect(parseVmWindowRoute(`#/vm/${CONN}/${VM}/details/extra`)).toBeNull();
    expect(parseVmWindowRoute('')).toBeNull();
  });

  it('writes what it reads', () => {
    const route = { connectionId: CONN, uuid: VM.toLowerCase(), tab: 'performance' as const };
    expect(parseVmWindowRoute(vmWindowRouteHash(route))).toEqual(route);
    expect(vmWindowRouteHash({ connectionId: CONN, uuid: 'u' })).toBe(`#/vm/${CONN}/u`);
  });
});
