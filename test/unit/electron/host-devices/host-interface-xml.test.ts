import { describe, expect, it } from 'vitest';
import { mergeHostInterfaces } from '../../../../electron/host-devices/host-interface-merge';
import {
  readInterfaceXml,
  readNetNodeDevice,
} from '../../../../electron/host-devices/host-interface-xml';

const eth0Node = `<device>
  <name>net_eth0_02_fc_00_00_00_01</name>
  <parent>pci_0000_00_03_0</parent>
  <capability type='net'>
    <interface>eth0</interface>
    <address>02:fc:00:00:00:01</address>
    <link speed='1000' state='up'/>
    <feature name='rx'/>
    <capability type='80203'/>
  </capability>
</device>`;

const bridgeXml = `<interface type='bridge' name='br0'>
  <start mode='onboot'/>
  <mac address='52:54:00:aa:bb:01'/>
  <link state='up'/>
  <bridge stp='off' delay='0'>
    <interface type='ethernet' name='eth0'><mac address='02:fc:00:00:00:01'/></interface>
    <interface type='ethernet' name='vnet0'/>
  </bridge>
</interface>`;

describe('host interface XML', () => {
  it('reads name, MAC, link and speed of a net node device', () => {
    expect(readNetNodeDevice(eth0Node)).toEqual({
      interface: 'eth0',
      mac: '02:fc:00:00:00:01',
      link: 'up',
      speedMbps: 1000,
    });
  });

  it("treats libvirt's unsigned -1 speed as unknown and a non-net device as none", () => {
    const unknown = eth0Node.replace("speed='1000'", "speed='4294967295'");
    expect(readNetNodeDevice(unknown)?.speedMbps).toBeNull();
    expect(
      readNetNodeDevice(
        "<device><name>pci_0000_00_01_0</name><capability type='pci'><bus>0</bus></capability></device>",
      ),
    ).toBeNull();
  });

  it('reads a bridge with its ports, and an ethernet without any', () => {
    expect(readInterfaceXml(bridgeXml)).toEqual({
      name: 'br0',
      type: 'bridge',
      mac: '52:54:00:aa:bb:01',
      link: 'up',
      members: ['eth0', 'vnet0'],
    });
    expect(
      readInterfaceXml("<interface type='ethernet' name='lo'><link state='unknown'/></interface>"),
    ).toEqual({ name: 'lo', type: 'ethernet', mac: null, link: 'unknown', members: [] });
  });

  it('rejects XML that is not an interface description', () => {
    expect(() => readInterfaceXml('<network><name>x</name></network>')).toThrow(/not an interface/);
  });
});

describe('merging node devices with the interface backend', () => {
  const node = readNetNodeDevice(eth0Node);
  if (!node) throw new Error('fixture');

  it('leaves bridge unknown when only node devices answered', () => {
    expect(mergeHostInterfaces([node], null)).toEqual([
      {
        name: 'eth0',
        mac: '02:fc:00:00:00:01',
        link: 'up',
        speedMbps: 1000,
        active: null,
        type: null,
        bridge: null,
        members: [],
      },
    ]);
  });

  it("adds the backend's bridges and marks the rest as not bridges, sorted by name", () => {
    const merged = mergeHostInterfaces([node], [{ ...readInterfaceXml(bridgeXml), active: true }]);
    expect(merged.map((i) => [i.name, i.bridge, i.members])).toEqual([
      ['br0', true, ['eth0', 'vnet0']],
      ['eth0', false, []],
    ]);
    expect(merged[0]?.active).toBe(true);
    expect(merged[1]?.active).toBeNull();
  });
});
