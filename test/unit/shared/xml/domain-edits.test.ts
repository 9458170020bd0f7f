import { describe, expect, it } from 'vitest';
import {
  parseXml,
  readCpu,
  readFirmware,
  readVcpu,
  readVirtDeckTags,
  serializeXml,
  setBlkioDevice,
  setBlkioWeight,
  setBootDevices,
  setBootMenu,
  setClockOffset,
  setClockTimer,
  setCpuFeature,
  setCpuMode,
  setCpuTopology,
  setCputuneValue,
  setCurrentMemoryKiB,
  setDirectKernelBoot,
  setDomainDescription,
  setDomainName,
  setDomainTitle,
  setEmulatorPin,
  setFeature,
  setFirmware,
  setHugepages,
  setHypervFeature,
  setMaxMemory,
  setMemoryAccess,
  setMemoryAndCurrentKiB,
  setMemoryKiB,
  setMemorySource,
  setNumaCells,
  setNumatuneMemnode,
  setNumatuneMemory,
  setVcpuPin,
  setVcpus,
  setVirtDeckTags,
  VIRTDECK_XMLNS,
  XmlEditError,
} from '../../../../shared/xml/index';
import { baseDomain, diffLines } from './domain-edit-fixture';

const base = baseDomain();

describe('overview edits', () => {
  it('renames, titles and describes, each touching one place', () => {
    expect(diffLines(base, setDomainName(base, 'renamed'))).toEqual({
      removed: ['  <name>basic</name>'],
      added: ['  <name>renamed</name>'],
    });
    expect(diffLines(base, setDomainTitle(base, 'Web server'))).toEqual({
      removed: [],
      added: ['  <title>Web server</title>'],
    });
    const described = setDomainDescription(setDomainTitle(base, 'T'), 'line 1\nline <2> & "3"');
    expect(diffLines(base, described).added).toEqual([
      '  <title>T</title>',
      '  <description>line 1',
      'line &lt;2&gt; &amp; &quot;3&quot;</description>',
    ]);
    expect(serializeXml(setDomainDescription(described, null))).toBe(
      serializeXml(setDomainTitle(base, 'T')),
    );
    expect(() => setDomainName(base, 'a/b')).toThrow(XmlEditError);
    expect(() => setDomainTitle(base, 'two\nlines')).toThrow(XmlEditError);
  });

  it('keeps VirtDeck tags in our namespace beside other metadata', () => {
    const other = parseXml(
      serializeXml(base).replace(
        '  <memory',
        "  <metadata>\n    <app1:foo xmlns:app1='http://foo.org/'>fooish</app1:foo>\n  </metadata>\n  <memory",
      ),
    );
    const tagged = setVirtDeckTags(other, [' web ', 'prod', 'web', '']);
    expect(readVirtDeckTags(tagged)).toEqual(['web', 'prod']);
    expect(diffLines(other, tagged)).toEqual({
      removed: [],
      added: [
        `    <virtdeck:tags xmlns:virtdeck='${VIRTDECK_XMLNS}'>`,
        '      <virtdeck:tag>web</virtdeck:tag>',
        '      <virtdeck:tag>prod</virtdeck:tag>',
        '    </virtdeck:tags>',
      ],
    });
    // Another prefix bound to our URI is still ours.
    const foreignPrefix = parseXml(
      serializeXml(tagged).replaceAll('virtdeck:', 'vd:').replace('xmlns:virtdeck=', 'xmlns:vd='),
    );
    expect(readVirtDeckTags(foreignPrefix)).toEqual(['web', 'prod']);
    expect(serializeXml(setVirtDeckTags(tagged, []))).toBe(serializeXml(other));
    expect(serializeXml(setVirtDeckTags(base, []))).toBe(serializeXml(base));
    const fresh = setVirtDeckTags(base, ['a']);
    expect(diffLines(base, fresh).added[0]).toBe('  <metadata>');
  });
});

describe('memory and vCPU edits', () => {
  it('writes memory in KiB and leaves the other value alone', () => {
    expect(diffLines(base, setCurrentMemoryKiB(base, 2097152))).toEqual({
      removed: ["  <currentMemory unit='KiB'>4194304</currentMemory>"],
      added: ["  <currentMemory unit='KiB'>2097152</currentMemory>"],
    });
    expect(diffLines(base, setMemoryAndCurrentKiB(base, 1048576)).added).toEqual([
      "  <memory unit='KiB'>1048576</memory>",
      "  <currentMemory unit='KiB'>1048576</currentMemory>",
    ]);
    const gib = parseXml(
      serializeXml(base).replace("<memory unit='KiB'>4194304", "<memory unit='GiB'>4"),
    );
    expect(diffLines(gib, setMemoryKiB(gib, 3145728)).added).toEqual([
      "  <memory unit='KiB'>3145728</memory>",
    ]);
    expect(diffLines(base, setMaxMemory(base, { kib: 16777216, slots: 16 })).added).toEqual([
      "  <maxMemory slots='16' unit='KiB'>16777216</maxMemory>",
    ]);
    expect(() => setCurrentMemoryKiB(base, 0)).toThrow(XmlEditError);
  });

  it('sets maximum and current vCPUs, refusing current above maximum', () => {
    const doc = setVcpus(base, { maximum: 8, current: 4 });
    expect(diffLines(base, doc)).toEqual({
      removed: ["  <vcpu placement='static'>2</vcpu>"],
      added: ["  <vcpu placement='static' current='4'>8</vcpu>"],
    });
    expect(readVcpu(doc)).toEqual({
      maximum: 8,
      current: 4,
      placement: 'static',
      cpuset: undefined,
    });
    expect(() => setVcpus(doc, { maximum: 2 })).toThrow(XmlEditError);
    expect(() => setVcpus(base, { cpuset: 'all of them' })).toThrow(XmlEditError);
  });
});

describe('CPU edits', () => {
  it('switches to host-passthrough dropping the custom model, back to custom with a model', () => {
    const passthrough = setCpuMode(base, 'host-passthrough');
    expect(diffLines(base, passthrough)).toEqual({
      removed: [
        "  <cpu mode='custom' match='exact' check='none'>",
        "    <model fallback='forbid'>qemu64</model>",
        '  </cpu>',
      ],
      added: ["  <cpu mode='host-passthrough' check='none'/>"],
    });
    const custom = setCpuMode(passthrough, 'custom', 'Skylake-Client');
    expect(readCpu(custom)).toMatchObject({ mode: 'custom', model: { name: 'Skylake-Client' } });
  });

  it('sets topology, features and NUMA cells in libvirt order', () => {
    const doc = setCpuFeature(
      setCpuTopology(base, { sockets: 1, dies: 1, cores: 2, threads: 1 }),
      'vmx',
      'require',
    );
    expect(diffLines(base, doc).added).toEqual([
      "    <topology sockets='1' dies='1' cores='2' threads='1'/>",
      "    <feature policy='require' name='vmx'/>",
    ]);
    const numa = setNumaCells(doc, [
      { id: 0, cpus: '0', memoryKiB: 2097152 },
      { id: 1, cpus: '1', memoryKiB: 2097152, memAccess: 'shared' },
    ]);
    expect(diffLines(doc, numa).added).toEqual([
      '    <numa>',
      "      <cell id='0' cpus='0' memory='2097152' unit='KiB'/>",
      "      <cell id='1' cpus='1' memory='2097152' unit='KiB' memAccess='shared'/>",
      '    </numa>',
    ]);
    const one = setNumaCells(numa, [{ id: 1, cpus: '0-1', memoryKiB: 4194304 }]);
    expect(readCpu(one).numaCells).toEqual([
      { id: 1, cpus: '0-1', memoryKiB: 4194304, memAccess: 'shared', discard: undefined },
    ]);
    expect(serializeXml(setNumaCells(numa, []))).toBe(serializeXml(doc));
    expect(serializeXml(setCpuFeature(doc, 'vmx', null))).toBe(
      serializeXml(setCpuTopology(base, { sockets: 1, dies: 1, cores: 2, threads: 1 })),
    );
    expect(() => setCpuTopology(base, { sockets: 0, cores: 1, threads: 1 })).toThrow(XmlEditError);
  });
});

describe('boot, firmware and features', () => {
  it('orders boot devices, adds a menu and direct kernel boot in place', () => {
    expect(diffLines(base, setBootDevices(base, ['cdrom', 'hd']))).toEqual({
      removed: [],
      added: ["    <boot dev='cdrom'/>"],
    });
    expect(diffLines(base, setBootDevices(base, ['network']))).toEqual({
      removed: ["    <boot dev='hd'/>"],
      added: ["    <boot dev='network'/>"],
    });
    expect(diffLines(base, setBootMenu(base, { enabled: true, timeoutMs: 3000 })).added).toEqual([
      "    <bootmenu enable='yes' timeout='3000'/>",
    ]);
    const kernel = setDirectKernelBoot(base, { kernel: '/boot/vmlinuz', cmdline: 'console=ttyS0' });
    expect(diffLines(base, kernel)).toEqual({
      removed: [],
      added: ['    <kernel>/boot/vmlinuz</kernel>', '    <cmdline>console=ttyS0</cmdline>'],
    });
    expect(serializeXml(setDirectKernelBoot(kernel, { kernel: null, cmdline: '' }))).toBe(
      serializeXml(base),
    );
  });

  it('switches to UEFI with Secure Boot and back to BIOS', () => {
    const efi = setFirmware(base, { kind: 'efi', secureBoot: true });
    expect(diffLines(base, efi)).toEqual({
      removed: ['  <os>', "    <type arch='x86_64' machine='q35'>hvm</type>"],
      added: [
        "  <os firmware='efi'>",
        "    <type arch='x86_64' machine='q35'>hvm</type>",
        '    <firmware>',
        "      <feature enabled='yes' name='secure-boot'/>",
        "      <feature enabled='yes' name='enrolled-keys'/>",
        '    </firmware>',
      ],
    });
    expect(readFirmware(efi)).toMatchObject({ kind: 'efi', secureBoot: true, enrolledKeys: true });
    expect(readFirmware(setFirmware(efi, { kind: 'efi', secureBoot: false })).secureBoot).toBe(
      false,
    );
    expect(serializeXml(setFirmware(efi, { kind: 'bios' }))).toBe(serializeXml(base));
  });

  it('toggles presence and state features and Hyper-V enlightenments', () => {
    expect(diffLines(base, setFeature(base, 'apic', false))).toEqual({
      removed: ['    <apic/>'],
      added: [],
    });
    expect(diffLines(base, setFeature(base, 'vmport', true))).toEqual({
      removed: ["    <vmport state='off'/>"],
      added: ["    <vmport state='on'/>"],
    });
    expect(diffLines(base, setFeature(base, 'smm', true)).added).toEqual(["    <smm state='on'/>"]);
    expect(diffLines(base, setFeature(base, 'pae', true)).added).toEqual(['    <pae/>']);
    const hv = setHypervFeature(setHypervFeature(base, 'relaxed', true), 'spinlocks', true, {
      retries: '8191',
    });
    expect(diffLines(base, hv).added).toEqual([
      '    <hyperv>',
      "      <relaxed state='on'/>",
      "      <spinlocks state='on' retries='8191'/>",
      '    </hyperv>',
    ]);
  });
});

describe('clock and tuning', () => {
  it('changes the clock offset and one timer', () => {
    expect(diffLines(base, setClockOffset(base, 'localtime'))).toEqual({
      removed: ["  <clock offset='utc'>"],
      added: ["  <clock offset='localtime'>"],
    });
    expect(diffLines(base, setClockTimer(base, 'hpet', null))).toEqual({
      removed: ["    <timer name='hpet' present='no'/>"],
      added: [],
    });
    expect(diffLines(base, setClockTimer(base, 'kvmclock', { present: 'yes' })).added).toEqual([
      "    <timer name='kvmclock' present='yes'/>",
    ]);
  });

  it('pins vCPUs and the emulator, sets quotas, NUMA policy, I/O weight, huge pages', () => {
    const pinned = setEmulatorPin(setVcpuPin(setVcpuPin(base, 1, '3'), 0, '2'), '0-1');
    expect(diffLines(base, pinned).added).toEqual([
      '  <cputune>',
      "    <vcpupin vcpu='0' cpuset='2'/>",
      "    <vcpupin vcpu='1' cpuset='3'/>",
      "    <emulatorpin cpuset='0-1'/>",
      '  </cputune>',
    ]);
    const quota = setCputuneValue(pinned, 'quota', -1);
    expect(diffLines(pinned, quota).added).toEqual(['    <quota>-1</quota>']);
    expect(
      serializeXml(setVcpuPin(setVcpuPin(setEmulatorPin(pinned, null), 0, null), 1, null)),
    ).toBe(serializeXml(base));
    const numa = setNumatuneMemnode(setNumatuneMemory(base, { mode: 'strict', nodeset: '0' }), 0, {
      mode: 'preferred',
      nodeset: '1',
    });
    expect(diffLines(base, numa).added).toEqual([
      '  <numatune>',
      "    <memory mode='strict' nodeset='0'/>",
      "    <memnode cellid='0' mode='preferred' nodeset='1'/>",
      '  </numatune>',
    ]);
    const blkio = setBlkioDevice(setBlkioWeight(base, 500), '/dev/sda', { read_bytes_sec: 1000 });
    expect(diffLines(base, blkio).added).toEqual([
      '  <blkiotune>',
      '    <weight>500</weight>',
      '    <device>',
      '      <path>/dev/sda</path>',
      '      <read_bytes_sec>1000</read_bytes_sec>',
      '    </device>',
      '  </blkiotune>',
    ]);
    expect(() => setBlkioWeight(base, 5)).toThrow(XmlEditError);
    const virtiofs = setMemoryAccess(
      setMemorySource(setHugepages(base, [{ sizeKiB: 2048 }]), 'memfd'),
      'shared',
    );
    expect(diffLines(base, virtiofs).added).toEqual([
      '  <memoryBacking>',
      '    <hugepages>',
      "      <page size='2048' unit='KiB'/>",
      '    </hugepages>',
      "    <source type='memfd'/>",
      "    <access mode='shared'/>",
      '  </memoryBacking>',
    ]);
    expect(
      serializeXml(setHugepages(setMemorySource(setMemoryAccess(virtiofs, null), null), false)),
    ).toBe(serializeXml(base));
  });
});
