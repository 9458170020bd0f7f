import { describe, expect, it } from 'vitest';
import {
  parseDomainXml,
  readGraphicsFacts,
  readSerialDevices,
} from '../../../electron/consoles/console-devices';

// Shaped like libvirt 9's live XML of a running QEMU guest.
const LIVE = `<domain type='kvm' id='3'>
  <name>web01</name>
  <devices>
    <serial type='pty'>
      <source path='/dev/pts/4'/>
      <target type='isa-serial' port='0'><model name='isa-serial'/></target>
      <alias name='serial0'/>
    </serial>
    <serial type='file'>
      <source path='/var/log/web01.log'/>
      <target type='isa-serial' port='1'/>
      <alias name='serial1'/>
    </serial>
    <console type='pty' tty='/dev/pts/4'>
      <source path='/dev/pts/4'/>
      <target type='serial' port='0'/>
      <alias name='serial0'/>
    </console>
    <console type='pty' tty='/dev/pts/5'>
      <target type='virtio' port='1'/>
      <alias name='console1'/>
    </console>
    <graphics type='vnc' port='5901' autoport='yes' listen='127.0.0.1' passwd='pw'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
    <graphics type='spice' port='-1' tlsPort='5902' autoport='yes'>
      <listen type='network' address='192.0.2.10' network='default'/>
    </graphics>
    <graphics type='vnc' socket='/run/libvirt/qemu/vnc.sock'>
      <listen type='socket' socket='/run/libvirt/qemu/vnc.sock'/>
    </graphics>
    <graphics type='vnc'>
      <listen type='none'/>
    </graphics>
  </devices>
</domain>`;

describe('console devices from the live XML', () => {
  it('reads every display with its listen, port and password', () => {
    expect(readGraphicsFacts(parseDomainXml(LIVE))).toEqual([
      {
        index: 0,
        type: 'vnc',
        listenType: 'address',
        address: '127.0.0.1',
        socket: null,
        port: 5901,
        tlsPort: null,
        password: 'pw',
      },
      {
        index: 1,
        type: 'spice',
        listenType: 'network',
        address: '192.0.2.10',
        socket: null,
        port: null,
        tlsPort: 5902,
        password: null,
      },
      {
        index: 2,
        type: 'vnc',
        listenType: 'socket',
        address: null,
        socket: '/run/libvirt/qemu/vnc.sock',
        port: null,
        tlsPort: null,
        password: null,
      },
      {
        index: 3,
        type: 'vnc',
        listenType: 'none',
        address: null,
        socket: null,
        port: null,
        tlsPort: null,
        password: null,
      },
    ]);
  });

  it('lists each serial/console once, by alias, and which libvirt can stream', () => {
    expect(readSerialDevices(parseDomainXml(LIVE))).toEqual([
      {
        alias: 'serial0',
        element: 'serial',
        type: 'pty',
        targetType: 'isa-serial',
        targetPort: 0,
        streamable: true,
      },
      {
        alias: 'serial1',
        element: 'serial',
        type: 'file',
        targetType: 'isa-serial',
        targetPort: 1,
        streamable: false,
      },
      {
        alias: 'console1',
        element: 'console',
        type: 'pty',
        targetType: 'virtio',
        targetPort: 1,
        streamable: true,
      },
    ]);
  });

  it('drops the mirrored console of a shut-off VM (no aliases yet)', () => {
    const off = `<domain type='kvm'><name>x</name><devices>
      <serial type='pty'><target port='0'/></serial>
      <console type='pty'><target type='serial' port='0'/></console>
    </devices></domain>`;
    expect(readSerialDevices(parseDomainXml(off))).toEqual([
      {
        alias: null,
        element: 'serial',
        type: 'pty',
        targetType: null,
        targetPort: 0,
        streamable: true,
      },
    ]);
  });
});
