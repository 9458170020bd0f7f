import { describe, expect, it } from 'vitest';
import type { NewVmSpec, OsEntry } from '../../../shared/contract/new-vm';
import {
  documentRoot,
  findElement,
  findElements,
  findText,
  getAttribute,
  parseXml,
  type XmlElement,
} from '../../../shared/xml';
import { buildDomainXml } from '../../../electron/new-vm/domain-xml/build-domain-xml';
import { installCmdline } from '../../../electron/new-vm/domain-xml/install-cmdline';
import { builtinOsList } from '../../../electron/new-vm/osinfo/builtin-os-list';
import type { NewVmDisk } from '../../../electron/new-vm/domain-xml/new-vm-disk';

const UUID = '6f1c2b8e-4d3a-4f5e-9a7b-1c2d3e4f5a6b';
const linux = builtinOsList().find((o) => o.shortId === 'linux2022') as OsEntry;
const win11 = builtinOsList().find((o) => o.shortId === 'win11') as OsEntry;

function spec(over: Partial<NewVmSpec> = {}): NewVmSpec {
  return {
    connectionId: '11111111-1111-4111-8111-111111111111',
    arch: 'x86_64',
    method: { kind: 'manual' },
    osId: linux.id,
    memoryBytes: 2 * 1024 ** 3,
    vcpus: 2,
    storage: { kind: 'none' },
    name: 'web01',
    network: { type: 'network', network: 'default' },
    firmware: 'bios',
    secureBoot: false,
    tpm: false,
    graphics: 'vnc',
    ...over,
  };
}

const systemDisk: NewVmDisk = {
  device: 'disk',
  source: { kind: 'volume', pool: 'default', volume: 'web01.qcow2' },
  format: 'qcow2',
  role: 'system',
};
const isoDisk: NewVmDisk = {
  device: 'cdrom',
  source: { kind: 'path', path: '/srv/iso/debian.iso' },
  format: 'raw',
  role: 'install-media',
};

function build(s: NewVmSpec, os: OsEntry | null, disks: NewVmDisk[], extra = {}): XmlElement {
  const xml = buildDomainXml({
    spec: s,
    uuid: UUID,
    os,
    domainType: 'kvm',
    machine: 'pc-q35-7.2',
    disks,
    ...extra,
  });
  return documentRoot(parseXml(xml));
}

const attrs = (els: XmlElement[], name: string) => els.map((e) => getAttribute(e, name));

describe('buildDomainXml', () => {
  it('a Linux media install on q35: UUID, osinfo metadata, virtio, CD-ROM first', () => {
    const root = build(
      spec({ method: { kind: 'media', media: { kind: 'path', path: '/srv/iso/debian.iso' } } }),
      linux,
      [isoDisk, systemDisk],
    );
    expect(getAttribute(root, 'type')).toBe('kvm');
    expect(findText(root, 'uuid')).toBe(UUID);
    expect(findText(root, 'memory')).toBe(String(2 * 1024 ** 2));
    expect(getAttribute(findElement(root, 'memory') as XmlElement, 'unit')).toBe('KiB');
    const osMeta = findElement(root, 'metadata/libosinfo:libosinfo/libosinfo:os');
    expect(osMeta && getAttribute(osMeta, 'id')).toBe(linux.id);
    expect(
      getAttribute(
        findElement(root, 'metadata/libosinfo:libosinfo') as XmlElement,
        'xmlns:libosinfo',
      ),
    ).toBe('http://libosinfo.org/xmlns/libvirt/domain/1.0');
    expect(attrs(findElements(root, 'os/boot'), 'dev')).toEqual(['cdrom', 'hd']);
    const disks = findElements(root, 'devices/disk');
    expect(disks.map((d) => getAttribute(findElement(d, 'target') as XmlElement, 'bus'))).toEqual([
      'sata',
      'virtio',
    ]);
    expect(disks.map((d) => getAttribute(findElement(d, 'target') as XmlElement, 'dev'))).toEqual([
      'sda',
      'vda',
    ]);
    expect(
      getAttribute(findElement(disks[1] as XmlElement, 'source') as XmlElement, 'volume'),
    ).toBe('web01.qcow2');
    expect(findElement(disks[0] as XmlElement, 'readonly')).toBeDefined();
    expect(getAttribute(findElement(root, 'devices/interface/model') as XmlElement, 'type')).toBe(
      'virtio',
    );
    const pci = findElements(root, 'devices/controller').filter(
      (c) => getAttribute(c, 'type') === 'pci',
    );
    expect(
      pci.filter((c) => getAttribute(c, 'model') === 'pcie-root-port').length,
    ).toBeGreaterThanOrEqual(8);
    expect(getAttribute(findElement(root, 'devices/graphics') as XmlElement, 'listen')).toBe(
      '127.0.0.1',
    );
    expect(getAttribute(findElement(root, 'devices/video/model') as XmlElement, 'type')).toBe(
      'virtio',
    );
    expect(getAttribute(findElement(root, 'devices/input') as XmlElement, 'type')).toBe('tablet');
    expect(findElement(root, 'devices/serial')).toBeDefined();
    expect(findElement(root, 'devices/console')).toBeDefined();
    expect(getAttribute(findElement(root, 'devices/channel/target') as XmlElement, 'name')).toBe(
      'org.qemu.guest_agent.0',
    );
    expect(getAttribute(findElement(root, 'devices/rng') as XmlElement, 'model')).toBe('virtio');
    expect(getAttribute(findElement(root, 'devices/memballoon') as XmlElement, 'model')).toBe(
      'virtio',
    );
    expect(getAttribute(findElement(root, 'cpu') as XmlElement, 'mode')).toBe('host-passthrough');
    expect(getAttribute(findElement(root, 'clock') as XmlElement, 'offset')).toBe('utc');
    expect(findElement(root, 'features/hyperv')).toBeUndefined();
    expect(findText(root, 'on_reboot')).toBe('restart');
  });

  it('the Windows 11 preset: UEFI + Secure Boot + SMM, TPM 2.0 CRB, Hyper-V, localtime, driver ISO', () => {
    const driverIso: NewVmDisk = {
      device: 'cdrom',
      source: { kind: 'volume', pool: 'isos', volume: 'virtio-win.iso' },
      format: 'raw',
      role: 'driver-iso',
    };
    const root = build(
      spec({ osId: win11.id, firmware: 'efi', secureBoot: true, tpm: true, graphics: 'spice' }),
      win11,
      [isoDisk, systemDisk, driverIso],
    );
    const os = findElement(root, 'os') as XmlElement;
    expect(getAttribute(os, 'firmware')).toBe('efi');
    const features = findElements(root, 'os/firmware/feature');
    expect(features.map((f) => [getAttribute(f, 'name'), getAttribute(f, 'enabled')])).toEqual([
      ['secure-boot', 'yes'],
      ['enrolled-keys', 'yes'],
    ]);
    expect(getAttribute(findElement(root, 'features/smm') as XmlElement, 'state')).toBe('on');
    const tpm = findElement(root, 'devices/tpm') as XmlElement;
    expect(getAttribute(tpm, 'model')).toBe('tpm-crb');
    expect(getAttribute(findElement(tpm, 'backend') as XmlElement, 'type')).toBe('emulator');
    expect(getAttribute(findElement(tpm, 'backend') as XmlElement, 'version')).toBe('2.0');
    const hyperv = findElement(root, 'features/hyperv') as XmlElement;
    for (const name of [
      'relaxed',
      'vapic',
      'spinlocks',
      'vpindex',
      'runtime',
      'synic',
      'stimer',
      'frequencies',
    ]) {
      expect(getAttribute(findElement(hyperv, name) as XmlElement, 'state'), name).toBe('on');
    }
    const clock = findElement(root, 'clock') as XmlElement;
    expect(getAttribute(clock, 'offset')).toBe('localtime');
    expect(attrs(findElements(clock, 'timer'), 'name')).toContain('hypervclock');
    // No inbox virtio on Windows: SATA disks, e1000e NIC; the driver ISO is the second CD-ROM.
    const targets = findElements(root, 'devices/disk/target');
    expect(attrs(targets, 'dev')).toEqual(['sda', 'sdb', 'sdc']);
    expect(attrs(targets, 'bus')).toEqual(['sata', 'sata', 'sata']);
    expect(getAttribute(findElements(root, 'devices/disk')[2] as XmlElement, 'device')).toBe(
      'cdrom',
    );
    expect(getAttribute(findElement(root, 'devices/interface/model') as XmlElement, 'type')).toBe(
      'e1000e',
    );
    expect(getAttribute(findElement(root, 'devices/video/model') as XmlElement, 'type')).toBe(
      'qxl',
    );
    expect(getAttribute(findElement(root, 'devices/graphics') as XmlElement, 'type')).toBe('spice');
  });

  it('Windows under TCG keeps localtime but no Hyper-V enlightenments (QEMU refuses them without KVM)', () => {
    const xml = buildDomainXml({
      spec: spec({ osId: win11.id, firmware: 'efi', secureBoot: true, tpm: true }),
      uuid: UUID,
      os: win11,
      domainType: 'qemu',
      machine: 'pc-q35-7.2',
      disks: [],
    });
    const root = documentRoot(parseXml(xml));
    expect(findElement(root, 'features/hyperv')).toBeUndefined();
    expect(getAttribute(findElement(root, 'clock') as XmlElement, 'offset')).toBe('localtime');
    expect(attrs(findElements(root, 'clock/timer'), 'name')).not.toContain('hypervclock');
    expect(findElement(root, 'devices/tpm')).toBeDefined();
  });

  it('UEFI without Secure Boot asks for a firmware without it, and no SMM', () => {
    const root = build(spec({ firmware: 'efi' }), linux, []);
    expect(attrs(findElements(root, 'os/firmware/feature'), 'enabled')).toEqual(['no', 'no']);
    expect(findElement(root, 'features/smm')).toBeUndefined();
  });

  it('PXE boots the network first; no network card and no graphics when asked', () => {
    const pxe = build(spec({ method: { kind: 'pxe' } }), linux, [systemDisk]);
    expect(attrs(findElements(pxe, 'os/boot'), 'dev')).toEqual(['network', 'hd']);
    const bare = build(spec({ network: null, graphics: 'none' }), null, []);
    expect(findElement(bare, 'devices/interface')).toBeUndefined();
    expect(findElement(bare, 'devices/graphics')).toBeUndefined();
    expect(findElement(bare, 'metadata')).toBeUndefined();
  });

  it('the install XML of a tree install boots the kernel once and stops at the reboot', () => {
    const root = build(
      spec({ method: { kind: 'tree', url: 'http://127.0.0.1/tree' } }),
      linux,
      [systemDisk],
      {
        kernelBoot: {
          kernel: '/pool/k',
          initrd: '/pool/i',
          cmdline: 'console=ttyS0 inst.ks=http://x/ks?a=1&b=2',
        },
      },
    );
    expect(findText(root, 'os/kernel')).toBe('/pool/k');
    expect(findText(root, 'os/initrd')).toBe('/pool/i');
    expect(findText(root, 'os/cmdline')).toBe('console=ttyS0 inst.ks=http://x/ks?a=1&b=2');
    expect(findElements(root, 'os/boot')).toHaveLength(0);
    expect(findText(root, 'on_reboot')).toBe('destroy');
  });

  it('escapes what the user typed; TCG gets no host-passthrough; i440fx gets IDE and e1000', () => {
    const xml = buildDomainXml({
      spec: spec({ title: `<b>"Tom's" & co</b>`, network: { type: 'user' } }),
      uuid: UUID,
      os: builtinOsList().find((o) => o.shortId === 'other') as OsEntry,
      domainType: 'qemu',
      machine: 'pc-i440fx-7.2',
      disks: [isoDisk, { ...systemDisk, source: { kind: 'path', path: `/srv/a'b&c.img` } }],
    });
    const root = documentRoot(parseXml(xml));
    expect(findText(root, 'title')).toBe(`<b>"Tom's" & co</b>`);
    expect(getAttribute(findElements(root, 'devices/disk/source')[1] as XmlElement, 'file')).toBe(
      `/srv/a'b&c.img`,
    );
    expect(findElement(root, 'cpu')).toBeUndefined();
    expect(attrs(findElements(root, 'devices/disk/target'), 'dev')).toEqual(['hda', 'hdb']);
    expect(getAttribute(findElement(root, 'devices/interface') as XmlElement, 'type')).toBe('user');
    expect(getAttribute(findElement(root, 'devices/interface/model') as XmlElement, 'type')).toBe(
      'e1000',
    );
    expect(
      findElements(root, 'devices/controller').some(
        (c) => getAttribute(c, 'model') === 'pcie-root-port',
      ),
    ).toBe(false);
  });
});

describe('installCmdline', () => {
  const fedora = { ...linux, distro: 'fedora', version: '37' };
  it('adds each installer its own autoinstall syntax, then the user arguments', () => {
    expect(
      installCmdline({
        os: fedora,
        treeFamily: null,
        treeUrl: 'http://m/f37',
        autoinstallUrl: 'http://m/ks.cfg',
        kernelArgs: 'console=ttyS0',
      }),
    ).toEqual({
      cmdline: 'inst.repo=http://m/f37 inst.ks=http://m/ks.cfg console=ttyS0',
      autoinstallUsed: true,
    });
    expect(
      installCmdline({
        os: { ...linux, distro: 'debian' },
        treeFamily: null,
        treeUrl: 'http://m/d',
        autoinstallUrl: 'http://m/preseed.cfg',
      }).cmdline,
    ).toBe('auto=true priority=critical url=http://m/preseed.cfg');
    expect(
      installCmdline({
        os: { ...linux, distro: 'ubuntu', version: '22.04' },
        treeFamily: null,
        treeUrl: 'http://m/u',
        autoinstallUrl: 'http://m/ai/',
      }).cmdline,
    ).toBe('autoinstall ds=nocloud-net;s=http://m/ai/');
    // Unknown installer: only the user's arguments; the autoinstall URL is not guessed in.
    expect(
      installCmdline({
        os: null,
        treeFamily: null,
        treeUrl: 'http://m/x',
        autoinstallUrl: 'http://m/a',
        kernelArgs: 'quiet',
      }),
    ).toEqual({
      cmdline: 'quiet',
      autoinstallUsed: false,
    });
    expect(installCmdline({ os: null, treeFamily: 'Fedora', treeUrl: 'http://m/x' }).cmdline).toBe(
      'inst.repo=http://m/x',
    );
  });
});
