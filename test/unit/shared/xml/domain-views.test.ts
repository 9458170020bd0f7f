import { describe, expect, it } from 'vitest';
import {
  parseXml,
  readBlkiotune,
  readClock,
  readCpu,
  readCputune,
  readDomainOverview,
  readFeatures,
  readFirmware,
  readMemory,
  readMemoryBacking,
  readNumatune,
  readOsBoot,
  readVcpu,
  readVirtDeckTags,
  scaledToBytes,
  scaledToKiB,
  topologyVcpus,
  XmlEditError,
} from '../../../../shared/xml/index';
import { CORPUS_SKIP_REASON, corpusFile, corpusPresent } from './corpus';

const load = (name: string) => parseXml(corpusFile(`domains/${name}`));

describe('units', () => {
  it('converts libvirt scaled integers', () => {
    expect(scaledToKiB('1', 'GiB')).toBe(1048576);
    expect(scaledToKiB('1', 'G')).toBe(1048576);
    expect(scaledToKiB('1', 'GB')).toBe(976563);
    expect(scaledToKiB('1000', 'b')).toBe(1);
    expect(scaledToKiB('2048', undefined)).toBe(2048);
    expect(scaledToKiB('1', 'furlongs')).toBeUndefined();
    expect(scaledToKiB('-1', 'KiB')).toBeUndefined();
    expect(scaledToBytes('5', 'G')).toBe(5 * 1024 ** 3);
    expect(scaledToBytes('1', 'TiB')).toBe(1024 ** 4);
    expect(scaledToBytes('1', 'EiB')).toBeUndefined();
  });
});

describe.skipIf(!corpusPresent)(
  `domain views on corpus files ${corpusPresent ? '' : CORPUS_SKIP_REASON}`,
  () => {
    it('overview of minimal.xml', () => {
      expect(readDomainOverview(load('minimal.xml'))).toEqual({
        name: 'QEMUGuest1',
        uuid: 'c7a5fdbd-edaf-9455-926a-d65c16db1809',
        title: 'A description of the test machine.',
        description:
          "\n      A test of qemu's minimal configuration.\n      This test also tests the description and title elements.\n  ",
        hypervisor: 'qemu',
        osType: 'hvm',
        arch: 'i686',
        machine: 'pc',
        emulator: '/usr/bin/qemu-system-i386',
        onPoweroff: 'destroy',
        onReboot: 'restart',
        onCrash: 'destroy',
      });
    });

    it('memory, maxMemory and vCPUs', () => {
      const doc = load('memory-hotplug.xml');
      expect(readMemory(doc)).toEqual({
        memory: { value: '219136', unit: 'KiB', kib: 219136 },
        currentMemory: { value: '219136', unit: 'KiB', kib: 219136 },
        maxMemory: { value: '1099511627776', unit: 'KiB', kib: 1099511627776, slots: 16 },
      });
      expect(readVcpu(doc)).toEqual({ maximum: 2, current: 2, placement: 'static', cpuset: '0-1' });
      expect(readVcpu(load('cputune-numatune.xml'))).toEqual({
        maximum: 6,
        current: 2,
        placement: 'auto',
        cpuset: undefined,
      });
    });

    it('CPU mode, model, features, topology and NUMA cells', () => {
      const numa = readCpu(load('cpu-numa-memshared.xml'));
      expect(numa.topology).toEqual({
        sockets: 2,
        dies: 1,
        clusters: undefined,
        cores: 4,
        threads: 2,
      });
      expect(topologyVcpus(numa.topology!)).toBe(16);
      expect(numa.numaCells).toEqual([
        { id: 0, cpus: '0-7', memoryKiB: 109550, memAccess: 'shared', discard: undefined },
        { id: 1, cpus: '8-15', memoryKiB: 109550, memAccess: 'private', discard: undefined },
      ]);
      const hostModel = readCpu(load('cpu-host-model-features.xml'));
      expect(hostModel.mode).toBe('host-model');
      expect(hostModel.features.slice(0, 3)).toEqual([
        { name: 'abm', policy: 'require' },
        { name: 'ds', policy: 'force' },
        { name: 'invtsc', policy: 'disable' },
      ]);
      const custom = readCpu(load('minimal.xml'));
      expect(custom.present).toBe(false);
      expect(readCpu(load('clock-absolute.x86_64-latest.xml'))).toMatchObject({
        mode: 'custom',
        match: 'exact',
        check: 'none',
        model: { name: 'qemu64', fallback: 'forbid' },
      });
    });

    it('boot order, boot menu and direct kernel boot', () => {
      expect(readOsBoot(load('boot-menu-enable-with-timeout.xml'))).toMatchObject({
        bootDevices: ['cdrom'],
        bootMenu: { enabled: true, timeoutMs: 3000 },
        kernel: undefined,
      });
      expect(readOsBoot(load('aarch64-aavmf-virtio-mmio.xml'))).toMatchObject({
        kernel: '/aarch64.kernel',
        initrd: '/aarch64.initrd',
        cmdline: 'earlyprintk console=ttyAMA0,115200n8 rw root=/dev/vda rootwait',
      });
    });

    it('features: presence, state off, nested KVM and Hyper-V', () => {
      const kvm = readFeatures(load('kvm-features.xml')).features;
      expect(kvm['acpi']?.enabled).toBe(true);
      expect(kvm['kvm']?.children['dirty-ring']).toMatchObject({
        enabled: true,
        attributes: [
          { name: 'state', value: 'on' },
          { name: 'size', value: '4096' },
        ],
      });
      expect(readFeatures(load('pmu-feature-off.xml')).features['pmu']?.enabled).toBe(false);
      const hyperv = readFeatures(load('hyperv-stimer-direct.xml')).features['hyperv'];
      expect(hyperv?.attributes).toEqual([{ name: 'mode', value: 'custom' }]);
      expect(Object.keys(hyperv?.children ?? {})).toEqual(['vpindex', 'synic', 'stimer']);
      expect(hyperv?.children['stimer']?.children['direct']?.enabled).toBe(true);
    });

    it('clock, numatune, cputune, blkiotune, memory backing', () => {
      expect(readClock(load('clock-localtime.xml'))).toMatchObject({
        offset: 'localtime',
        timers: [],
      });
      expect(readClock(load('clock-absolute.x86_64-latest.xml'))).toMatchObject({
        offset: 'absolute',
        start: '253402300799',
      });
      expect(readNumatune(load('numatune-memnode-restrictive-mode.x86_64-latest.xml'))).toEqual({
        memory: { mode: 'restrictive', nodeset: '0-7', placement: undefined },
        memnodes: [
          { cellid: 0, mode: 'restrictive', nodeset: '3' },
          { cellid: 2, mode: 'restrictive', nodeset: '1-2,5,7' },
        ],
      });
      expect(readCputune(load('cputune.xml'))).toEqual({
        values: {
          shares: 2048,
          period: 1000000,
          quota: -1,
          global_period: 1000000,
          global_quota: -1,
          iothread_period: 1000000,
          iothread_quota: -1,
        },
        vcpupins: [
          { vcpu: 0, cpuset: '0' },
          { vcpu: 1, cpuset: '1' },
        ],
        emulatorpin: '1',
        iothreadpins: [],
      });
      expect(readBlkiotune(load('blkiotune.xml'))).toEqual({ weight: 800, devices: [] });
      expect(readMemoryBacking(load('hugepages-numa-nodeset.x86_64-latest.xml')).pages).toEqual([
        { sizeKiB: 2048, nodeset: '1' },
        { sizeKiB: 1048576, nodeset: '0,2-3' },
      ]);
      expect(readMemoryBacking(load('hugepages-memaccess2.x86_64-latest.xml'))).toMatchObject({
        hugepages: true,
        source: 'file',
        access: 'private',
        locked: false,
      });
    });

    it('firmware: autoselected EFI with and without Secure Boot, manual pflash, BIOS', () => {
      expect(readFirmware(load('firmware-auto-efi-secboot.x86_64-latest.xml'))).toMatchObject({
        autoselect: 'efi',
        kind: 'efi',
        secureBoot: true,
        loader: undefined,
      });
      expect(readFirmware(load('firmware-auto-efi-no-secboot.x86_64-latest.xml')).secureBoot).toBe(
        false,
      );
      expect(
        readFirmware(load('firmware-auto-efi-loader-secure.x86_64-latest.xml')).secureBoot,
      ).toBe(true);
      expect(readFirmware(load('firmware-manual-efi-nvram-file.x86_64-latest.xml'))).toMatchObject({
        autoselect: undefined,
        kind: 'efi',
        loader: { path: '/usr/share/OVMF/OVMF_CODE.fd', type: 'pflash', readonly: true },
        nvram: { path: '/var/lib/libvirt/nvram/guest_VARS.fd' },
      });
      expect(readFirmware(load('minimal.xml'))).toMatchObject({
        kind: 'bios',
        secureBoot: undefined,
      });
    });

    it('metadata of other applications is not mistaken for ours', () => {
      expect(readVirtDeckTags(load('metadata.xml'))).toEqual([]);
    });
  },
);

describe('views refuse other documents', () => {
  it('throws XmlEditError for a non-domain root', () => {
    expect(() => readMemory(parseXml('<network><name>n</name></network>'))).toThrow(XmlEditError);
  });
});
