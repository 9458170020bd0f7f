import { describe, expect, it } from 'vitest';
import { documentRoot, listDevicesOfKind, parseXml } from '../../../../../../shared/xml';
import {
  mdevHostdevXml,
  mdevModelOf,
  readMdevHostdev,
} from '../../../../../../renderer/src/components/vm-details/devices/host-device-xml';
import { corpusFile, corpusPresent, CORPUS_SKIP_REASON } from '../../../../shared/xml/corpus';

const UUID = '53764d0e-85a0-42b4-af5c-2046b460b1dc';
const element = (xml: string) => documentRoot(parseXml(xml));

describe('Add Hardware: mediated-device hostdev', () => {
  it('builds <hostdev type=mdev> with model and display (vfio-pci only)', () => {
    expect(mdevHostdevXml({ uuid: UUID, model: 'vfio-pci', display: true })).toBe(
      `<hostdev mode='subsystem' type='mdev' model='vfio-pci' display='on'>\n  <source>\n    <address uuid='${UUID}'/>\n  </source>\n</hostdev>`,
    );
    expect(mdevHostdevXml({ uuid: UUID, model: 'vfio-pci', display: false })).toContain(
      "display='off'",
    );
    // libvirt refuses display on vfio-ccw / vfio-ap: never written there.
    for (const model of ['vfio-ccw', 'vfio-ap'] as const) {
      expect(mdevHostdevXml({ uuid: UUID, model, display: true })).not.toContain('display');
    }
  });

  it('maps a type deviceAPI to a hostdev model, and refuses unknown APIs', () => {
    expect(mdevModelOf('vfio-pci')).toBe('vfio-pci');
    expect(mdevModelOf('vfio-ap')).toBe('vfio-ap');
    expect(mdevModelOf('vfio-platform')).toBeNull();
    expect(mdevModelOf(null)).toBeNull();
  });

  it('reads back what it built, and nothing from a PCI hostdev', () => {
    const built = element(mdevHostdevXml({ uuid: UUID, model: 'vfio-pci', display: true }));
    expect(readMdevHostdev(built)).toEqual({
      uuid: UUID,
      model: 'vfio-pci',
      display: 'on',
      ramfb: null,
    });
    const pci = element(
      "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x00' slot='0x1f' function='0x3'/></source></hostdev>",
    );
    expect(readMdevHostdev(pci)).toBeNull();
  });

  it.skipIf(!corpusPresent)(
    `reads libvirt's own mdev hostdevs (${corpusPresent ? 'corpus' : CORPUS_SKIP_REASON})`,
    () => {
      const views = [
        'domains/hostdev-mdev-display-ramfb.x86_64-latest.xml',
        'domains/hostdev-mdev-precreated.xml',
        'domains/hostdev-subsys-mdev-vfio-ccw.xml',
        'domains/hostdev-subsys-mdev-vfio-ap.xml',
      ].flatMap((name) =>
        listDevicesOfKind(parseXml(corpusFile(name)), 'hostdev').map((d) =>
          readMdevHostdev(d.element),
        ),
      );
      expect(views).toEqual([
        { uuid: UUID, model: 'vfio-pci', display: 'on', ramfb: 'on' },
        {
          uuid: '53764d0e-85a0-42b4-af5c-2046b460b1dd',
          model: 'vfio-pci',
          display: 'on',
          ramfb: 'off',
        },
        { uuid: UUID, model: 'vfio-pci', display: null, ramfb: null },
        {
          uuid: '90c6c135-ad44-41d0-b1b7-bae47de48627',
          model: 'vfio-ccw',
          display: null,
          ramfb: null,
        },
        {
          uuid: '90c6c135-ad44-41d0-b1b7-bae47de48627',
          model: 'vfio-ap',
          display: null,
          ramfb: null,
        },
      ]);
    },
  );
});
