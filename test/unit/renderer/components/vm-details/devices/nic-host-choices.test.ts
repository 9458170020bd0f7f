import { describe, expect, it } from 'vitest';
import type { HostInterface } from '../../../../../../shared/contract';
import {
  bridgeChoices,
  directChoices,
} from '../../../../../../renderer/src/components/vm-details/devices/nic-host-choices';

const iface = (over: Partial<HostInterface> & { name: string }): HostInterface => ({
  mac: '52:54:00:00:00:01',
  link: 'up',
  speedMbps: null,
  active: true,
  type: 'ethernet',
  bridge: false,
  members: [],
  ...over,
});

const host: HostInterface[] = [
  iface({ name: 'br0', type: 'bridge', bridge: true, members: ['eth0', 'vnet3'] }),
  iface({ name: 'eth0', mac: '02:fc:00:00:00:01' }),
  iface({ name: 'lo', mac: '00:00:00:00:00:00', link: 'unknown' }),
  iface({ name: 'ifb0', link: null, active: false }),
];

describe('NIC source choices from the host interfaces', () => {
  it('offers only bridges for a bridged NIC, with their ports', () => {
    expect(bridgeChoices(host)).toEqual([
      { value: 'br0', detail: 'up · 52:54:00:00:00:01 · eth0, vnet3' },
    ]);
  });

  it('offers non-bridge, non-loopback interfaces for macvtap', () => {
    expect(directChoices(host)).toEqual([
      { value: 'eth0', detail: 'up · 02:fc:00:00:00:01' },
      { value: 'ifb0', detail: 'down · 52:54:00:00:00:01' },
    ]);
  });

  it('offers no bridge when none is known to be one (no interface backend)', () => {
    const unknown = host.map((i) => ({ ...i, bridge: null, type: null, active: null }));
    expect(bridgeChoices(unknown)).toEqual([]);
    expect(directChoices(unknown).map((c) => c.value)).toEqual(['br0', 'eth0', 'ifb0']);
  });
});
