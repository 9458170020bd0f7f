import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DomainEdit } from '../../../shared/contract/domain-edit';
import { domainEditSchema } from '../../../shared/contract/domain-edit';
import { VirtDeckError } from '../../../shared/contract/errors';
import { parseXml, serializeXml, type XmlDocument } from '../../../shared/xml';
import type { EditPlan } from '../../../electron/domain-edit/edit-plan';
import { pendingChanges } from '../../../electron/domain-edit/pending-changes';
import { planDeviceEdit, type DeviceEdit } from '../../../electron/domain-edit/plan-device-edit';
import { planDomainEdit } from '../../../electron/domain-edit/plan-domain-edit';
import { unifiedDiff } from '../../../electron/domain-edit/unified-diff';

const INACTIVE = `<domain type='qemu'>
  <name>t</name>
  <uuid>11111111-2222-3333-4444-555555555555</uuid>
  <memory unit='KiB'>65536</memory>
  <currentMemory unit='KiB'>65536</currentMemory>
  <vcpu placement='static' current='1'>2</vcpu>
  <os>
    <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>
    <boot dev='hd'/>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='/img/a.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
    <interface type='user'>
      <mac address='52:54:00:aa:bb:01'/>
      <model type='virtio'/>
    </interface>
    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
  </devices>
</domain>
`;
/** The same VM running: aliases, a chosen port, a path-less source in the empty drive. */
const LIVE = INACTIVE.replace("<domain type='qemu'>", "<domain type='qemu' id='3'>")
  .replace(
    "<target dev='hdc' bus='ide'/>",
    "<source index='2'/>\n      <target dev='hdc' bus='ide'/>\n      <alias name='ide0-1-0'/>",
  )
  .replace("port='-1'", "port='5901'")
  .replace("<model type='virtio'/>", "<model type='virtio'/>\n      <alias name='net0'/>");

const DEVICE_KINDS = new Set([
  'addDisk',
  'addInterface',
  'addGraphics',
  'addDeviceXml',
  'removeDevice',
  'setDiskMedia',
  'updateDisk',
  'updateInterface',
  'updateGraphics',
  'replaceDeviceXml',
]);

function plan(edit: DomainEdit, running = false, xml = INACTIVE): EditPlan {
  const parsed = domainEditSchema.parse(edit);
  const before = parseXml(xml);
  const live = running ? { doc: parseXml(LIVE) } : undefined;
  return DEVICE_KINDS.has(parsed.kind)
    ? planDeviceEdit(parsed as DeviceEdit, before, live)
    : planDomainEdit(parsed as Exclude<DomainEdit, DeviceEdit>, before, live, running);
}

/** The changed lines of the edit's diff. */
function changed(p: EditPlan, xml = INACTIVE): string[] {
  return unifiedDiff(serializeXml(parseXml(xml)), serializeXml(p.after))
    .split('\n')
    .filter((l) => /^[+-](?![+-]{2} )/.test(l));
}

describe('edit → XML (shut off: no live part, nothing pending)', () => {
  const cases: [DomainEdit, string[]][] = [
    [{ kind: 'title', title: 'Hi' }, ['+  <title>Hi</title>']],
    [
      { kind: 'vcpus', current: 2 },
      ["-  <vcpu placement='static' current='1'>2</vcpu>", "+  <vcpu placement='static'>2</vcpu>"],
    ],
    [
      { kind: 'memory', maximumKiB: 131072 },
      ["-  <memory unit='KiB'>65536</memory>", "+  <memory unit='KiB'>131072</memory>"],
    ],
    [
      { kind: 'bootMenu', enabled: true, timeoutMs: 500 },
      ["+    <bootmenu enable='yes' timeout='500'/>"],
    ],
    [
      { kind: 'updateInterface', id: 'interface:52:54:00:aa:bb:01', linkState: 'down' },
      ["+      <link state='down'/>"],
    ],
    [
      { kind: 'setDiskMedia', id: 'disk:hdc', source: { kind: 'file', file: '/iso/x.iso' } },
      ["+      <source file='/iso/x.iso'/>"],
    ],
    [
      { kind: 'updateGraphics', id: 'graphics:vnc', keymap: 'de' },
      [
        "-    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'>",
        "+    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1' keymap='de'>",
      ],
    ],
  ];
  it.each(cases)('%o changes only its lines', (edit, lines) => {
    const p = plan(edit);
    expect(changed(p)).toEqual(lines);
    expect(p.live).toEqual([]);
    expect(p.pending).toEqual([]);
    expect(p.refused).toBeUndefined();
  });

  it('adds devices after the last of their kind, removes by id', () => {
    const disk = plan({
      kind: 'addDisk',
      device: 'disk',
      source: { kind: 'file', file: '/img/b.img' },
      target: { dev: 'vdb', bus: 'virtio' },
    });
    expect(changed(disk)[0]).toBe("+    <disk type='file' device='disk'>");
    expect(changed(plan({ kind: 'removeDevice', id: 'disk:vda' }))).toHaveLength(5);
    const nic = plan({ kind: 'addInterface', source: { type: 'user' }, model: 'e1000' });
    expect(changed(nic)).toEqual([
      "+    <interface type='user'>",
      "+      <model type='e1000'/>",
      '+    </interface>',
    ]);
  });

  it('names the field of a bad edit', () => {
    const bad = (edit: DomainEdit) => {
      try {
        plan(edit);
      } catch (err) {
        return err instanceof VirtDeckError ? err.path : String(err);
      }
      return 'accepted';
    };
    expect(bad({ kind: 'vcpus', current: 3 })).toBe('edit.current');
    expect(bad({ kind: 'memory', currentKiB: 131072 })).toBe('edit.currentKiB');
    expect(bad({ kind: 'cpu', topology: { sockets: 2, cores: 2, threads: 1 } })).toBe(
      'edit.topology',
    );
    expect(bad({ kind: 'setDiskMedia', id: 'disk:vda', source: null })).toBe('edit.id');
    expect(bad({ kind: 'removeDevice', id: 'disk:nope' })).toBe('edit.id');
    expect(bad({ kind: 'addDeviceXml', xml: '<disk><oops></disk>' })).toBe('edit.xml');
    expect(
      bad({ kind: 'addDisk', device: 'disk', source: null, target: { dev: 'vda', bus: 'virtio' } }),
    ).toBe('edit.target.dev');
  });
});

describe('edit plans on a running VM', () => {
  it('hot-plugs vCPUs up, refuses removing them', () => {
    expect(plan({ kind: 'vcpus', current: 2 }, true).live).toEqual([
      { op: 'vcpus', count: 2, action: 'hot-plug vCPUs: 1 → 2' },
    ]);
    const live2 = LIVE.replace(" current='1'", '');
    const p = planDomainEdit(
      { kind: 'vcpus', current: 1 },
      parseXml(INACTIVE),
      { doc: parseXml(live2) },
      true,
    );
    expect(p.refused).toMatch(/Removing vCPUs from a running VM is not supported/);
  });

  it('maximum memory and CPU changes are pending; the balloon goes live', () => {
    const p = plan({ kind: 'memory', maximumKiB: 131072, currentKiB: 32768 }, true);
    expect(p.pending.map((x) => x.part)).toEqual(['memory.maximum']);
    expect(p.live).toEqual([{ op: 'memory', kib: 32768, action: 'set the balloon to 32768 KiB' }]);
    expect(
      plan({ kind: 'cpu', mode: 'host-passthrough' }, true).pending.map((x) => x.part),
    ).toEqual(['cpu']);
  });

  it('changes media and link state on the running device (its alias kept)', () => {
    const media = plan(
      { kind: 'setDiskMedia', id: 'disk:hdc', source: { kind: 'file', file: '/iso/x.iso' } },
      true,
    );
    expect(media.live[0]).toMatchObject({ op: 'update' });
    expect(media.live[0]?.op === 'update' && media.live[0].xml).toMatch(
      /<source index='2' file='\/iso\/x.iso'\/>[\s\S]*ide0-1-0/,
    );
    const link = plan(
      {
        kind: 'updateInterface',
        id: 'interface:52:54:00:aa:bb:01',
        linkState: 'down',
        mac: '52:54:00:aa:bb:02',
      },
      true,
    );
    expect(link.live[0]?.op === 'update' && link.live[0].xml).toMatch(
      /<link state='down'\/>[\s\S]*net0/,
    );
    expect(link.pending[0]?.reason).toMatch(
      /MAC address can be changed only while the VM is shut off/,
    );
  });

  it('attaches hot-pluggable devices, leaves the others pending', () => {
    expect(plan({ kind: 'addInterface', source: { type: 'user' } }, true).live).toEqual([
      { op: 'attach', action: 'hot-plug the new interface' },
    ]);
    const sata = plan(
      { kind: 'addDisk', device: 'cdrom', source: null, target: { dev: 'sdb', bus: 'sata' } },
      true,
    );
    expect(sata.live).toEqual([]);
    expect(sata.pending[0]?.reason).toMatch(/cannot be hot-plugged/);
    expect(plan({ kind: 'removeDevice', id: 'disk:vda' }, true).live[0]).toMatchObject({
      op: 'detach',
    });
  });

  it('firmware is refused while running', () => {
    expect(plan({ kind: 'firmware', firmware: 'efi' }, true).refused).toMatch(
      /only while the VM is shut off/,
    );
  });
});

describe('pendingChanges', () => {
  it('ignores run-time additions (ids, aliases, ports, an empty drive source)', () => {
    expect(pendingChanges(parseXml(LIVE), parseXml(INACTIVE))).toEqual([]);
  });

  it('reports changed, added and removed parts', () => {
    let next: XmlDocument = plan({ kind: 'memory', maximumKiB: 131072 }).after;
    next = planDeviceEdit({ kind: 'removeDevice', id: 'disk:vda' }, next, undefined).after;
    next = planDeviceEdit(
      {
        kind: 'addInterface',
        source: { type: 'network', network: 'default' },
        mac: '52:54:00:00:00:09',
      },
      next,
      undefined,
    ).after;
    const pending = pendingChanges(parseXml(LIVE), next);
    expect(pending).toEqual([
      expect.objectContaining({ part: 'memory.maximum', live: '65536 KiB', next: '131072 KiB' }),
      expect.objectContaining({
        part: 'device:interface:52:54:00:00:00:09',
        label: 'NIC 52:54:00:00:00:09 (added)',
      }),
      expect.objectContaining({ part: 'device:disk:vda', label: 'Disk vda (removed)' }),
    ]);
  });
});

const CORPUS = path.resolve(__dirname, '../../../../shared/testdata/libvirt-xml/domains');

describe.skipIf(!existsSync(CORPUS))(
  'libvirt corpus (skipped: ../shared/testdata/libvirt-xml/domains absent)',
  () => {
    it('a title edit on every corpus domain adds only the title line', () => {
      let checked = 0;
      for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.xml'))) {
        const xml = readFileSync(path.join(CORPUS, file), 'utf8');
        let doc: XmlDocument;
        try {
          doc = parseXml(xml);
        } catch {
          continue;
        }
        const p = planDomainEdit({ kind: 'title', title: 'corpus title' }, doc, undefined, false);
        const lines = unifiedDiff(serializeXml(doc), serializeXml(p.after))
          .split('\n')
          .filter((l) => /^[+-](?![+-]{2} )/.test(l));
        expect(
          lines.filter((l) => l.startsWith('+')),
          file,
        ).toEqual(['+  <title>corpus title</title>']);
        expect(
          lines.filter((l) => l.startsWith('-')).every((l) => l.includes('<title>')),
          file,
        ).toBe(true);
        checked++;
      }
      expect(checked).toBeGreaterThan(100);
    });
  },
);
