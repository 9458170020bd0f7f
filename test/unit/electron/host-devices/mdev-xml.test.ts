import { describe, expect, it } from 'vitest';
import {
  mdevDefinitionXml,
  readMdevParent,
  readMediatedDevice,
} from '../../../../electron/host-devices/mdev-xml';
import {
  documentRoot,
  findText,
  getAttribute,
  findElement,
  parseXml,
} from '../../../../shared/xml';
import { AP_MATRIX, CSS_PARENT, MDEV, PCI_PARENT, PLAIN_PCI } from './mdev-node-samples';

describe('mdev-capable parents from node device XML', () => {
  it('reads a PCI parent: names, types, their API and free instances', () => {
    expect(readMdevParent(PCI_PARENT)).toEqual({
      name: 'pci_0000_02_10_7',
      vendor: 'Intel Corporation',
      product: '82576 Virtual Function',
      types: [
        { id: 'foo1', name: 'bar1', deviceApi: 'vfio-pci', availableInstances: 1 },
        { id: 'foo2', name: null, deviceApi: 'vfio-pci', availableInstances: 2 },
      ],
    });
  });

  it('finds mdev_types inside a css or ap_matrix capability too', () => {
    expect(readMdevParent(CSS_PARENT)).toMatchObject({
      name: 'css_0_0_fffe',
      vendor: null,
      types: [{ id: 'vfio_ccw-io', deviceApi: 'vfio-ccw', availableInstances: 1 }],
    });
    expect(readMdevParent(AP_MATRIX)?.types).toEqual([
      {
        id: 'vfio_ap-passthrough',
        name: 'VFIO AP Passthrough Device',
        deviceApi: 'vfio-ap',
        availableInstances: 65536,
      },
    ]);
  });

  it('is null for a device without mdev types and skips a type without an API', () => {
    expect(readMdevParent(PLAIN_PCI)).toBeNull();
    const broken = PCI_PARENT.replace('<deviceAPI>vfio-pci</deviceAPI>', '');
    expect(readMdevParent(broken)?.types.map((t) => t.id)).toEqual(['foo2']);
    const unknownCount = PCI_PARENT.replace('<availableInstances>1<', '<availableInstances>?<');
    expect(readMdevParent(unknownCount)?.types[0]?.availableInstances).toBeNull();
  });
});

describe('mediated devices from node device XML', () => {
  it('reads name, UUID (lower case, as hostdevs compare it), parent and type', () => {
    expect(readMediatedDevice(MDEV)).toEqual({
      name: 'mdev_d069d019_36ea_4111_8f0a_8c9a70e21366',
      uuid: 'd069d019-36ea-4111-8f0a-8c9a70e21366',
      parent: 'pci_0000_02_10_7',
      typeId: 'foo1',
    });
  });

  it('is null for other devices and for an mdev without UUID', () => {
    expect(readMediatedDevice(PCI_PARENT)).toBeNull();
    expect(readMediatedDevice(MDEV.replace(/<uuid>.*<\/uuid>/, ''))).toBeNull();
  });
});

describe('the definition of a new mediated device', () => {
  it('names parent, type and UUID, and reads back as the same device', () => {
    const xml = mdevDefinitionXml(
      'pci_0000_02_10_7',
      'foo1',
      '4b20d080-1b54-4048-85b3-a6a62d165c01',
    );
    const root = documentRoot(parseXml(xml));
    expect(root.name).toBe('device');
    expect(findText(root, 'parent')).toBe('pci_0000_02_10_7');
    const cap = findElement(root, 'capability');
    expect(cap && getAttribute(cap, 'type')).toBe('mdev');
    const withName = xml.replace('<device>', '<device><name>mdev_x</name>');
    expect(readMediatedDevice(withName)).toEqual({
      name: 'mdev_x',
      uuid: '4b20d080-1b54-4048-85b3-a6a62d165c01',
      parent: 'pci_0000_02_10_7',
      typeId: 'foo1',
    });
  });

  it('escapes what it is given rather than letting it become markup', () => {
    const xml = mdevDefinitionXml("a'<b>&", 'foo1', '4b20d080-1b54-4048-85b3-a6a62d165c01');
    expect(findText(documentRoot(parseXml(xml)), 'parent')).toBe("a'<b>&");
  });
});
