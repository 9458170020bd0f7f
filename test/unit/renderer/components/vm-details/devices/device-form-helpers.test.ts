import { describe, expect, it } from 'vitest';
import { documentRoot, parseXml, readDisk, readInterface } from '../../../../../../shared/xml';
import { macProblem } from '../../../../../../renderer/src/components/vm-details/devices/device-choices';
import { deviceSummaryRows } from '../../../../../../renderer/src/components/vm-details/devices/device-summary-rows';
import {
  diskSourceForm,
  diskSourceInput,
} from '../../../../../../renderer/src/components/vm-details/devices/disk-source-form';
import {
  nicSourceForm,
  nicSourceInput,
} from '../../../../../../renderer/src/components/vm-details/devices/nic-source-form';

const el = (xml: string) => documentRoot(parseXml(xml));

describe('device pages: form ↔ edit', () => {
  it('fills the disk source form from the XML and turns it back into the same source', () => {
    const view = readDisk(
      el(
        "<disk type='volume' device='disk'><source pool='p' volume='v.qcow2'/><target dev='vda'/></disk>",
      ),
    );
    const form = diskSourceForm(view.type, view.source);
    expect(form).toMatchObject({ kind: 'volume', pool: 'p', volume: 'v.qcow2' });
    expect(diskSourceInput(form)).toEqual({ kind: 'volume', pool: 'p', volume: 'v.qcow2' });
    expect(diskSourceInput({ ...form, kind: 'file', file: '  ' })).toBeNull();
    expect(diskSourceInput({ ...form, kind: 'block', dev: ' /dev/sdb ' })).toEqual({
      kind: 'block',
      dev: '/dev/sdb',
    });
  });

  it('fills the NIC source form for the types it edits, and leaves others to the XML', () => {
    const direct = readInterface(
      el("<interface type='direct'><source dev='eth0' mode='bridge'/></interface>"),
    );
    const form = nicSourceForm(direct);
    expect(nicSourceInput(form!)).toEqual({ type: 'direct', dev: 'eth0', mode: 'bridge' });
    expect(nicSourceForm(readInterface(el("<interface type='vhostuser'/>")))).toBeNull();
    expect(nicSourceInput({ ...form!, type: 'network', network: '' })).toBeNull();
  });

  it('checks MACs as libvirt does: six hex pairs, unicast only', () => {
    expect(macProblem('52:54:00:12:34:56')).toBeNull();
    expect(macProblem('52:54:00:12:34')).toBe('format');
    expect(macProblem('01:00:5e:00:00:01')).toBe('multicast');
  });

  it('summarises any device from its XML, without libvirt bookkeeping', () => {
    const rows = deviceSummaryRows(
      el(
        "<rng model='virtio'><backend model='random'>/dev/urandom</backend>" +
          "<alias name='rng0'/><address type='pci' bus='0x00'/></rng>",
      ),
    );
    expect(rows).toEqual([
      { label: 'model', value: 'virtio' },
      { label: 'backend', value: 'model=random, /dev/urandom' },
    ]);
  });
});
