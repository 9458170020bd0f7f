/**
 * Node device XML in the shapes libvirt's node-device driver writes (its nodedevschemadata
 * tests show them): a vGPU-capable PCI function, an s390 subchannel, the AP matrix, and
 * a mediated device. The unit tests read them; the integration test serves them through the
 * TEST driver.
 */
export const PCI_PARENT = `<device>
  <name>pci_0000_02_10_7</name>
  <parent>pci_0000_00_04_0</parent>
  <capability type='pci'>
    <domain>0</domain>
    <bus>2</bus>
    <slot>16</slot>
    <function>7</function>
    <product id='0x10ca'>82576 Virtual Function</product>
    <vendor id='0x8086'>Intel Corporation</vendor>
    <capability type='mdev_types'>
      <type id='foo1'>
        <name>bar1</name>
        <deviceAPI>vfio-pci</deviceAPI>
        <availableInstances>1</availableInstances>
      </type>
      <type id='foo2'>
        <deviceAPI>vfio-pci</deviceAPI>
        <availableInstances>2</availableInstances>
      </type>
    </capability>
    <iommuGroup number='31'>
      <address domain='0x0000' bus='0x02' slot='0x10' function='0x7'/>
    </iommuGroup>
  </capability>
</device>
`;

export const CSS_PARENT = `<device>
  <name>css_0_0_fffe</name>
  <path>/sys/devices/css0/0.0.fffe</path>
  <parent>computer</parent>
  <capability type='css'>
    <cssid>0x0</cssid>
    <ssid>0x0</ssid>
    <devno>0xfffe</devno>
    <capability type='mdev_types'>
      <type id='vfio_ccw-io'>
        <name>I/O subchannel (Non-QDIO)</name>
        <deviceAPI>vfio-ccw</deviceAPI>
        <availableInstances>1</availableInstances>
      </type>
    </capability>
  </capability>
</device>
`;

export const AP_MATRIX = `<device>
  <name>ap_matrix</name>
  <path>/sys/devices/vfio_ap/matrix</path>
  <parent>computer</parent>
  <capability type='ap_matrix'>
    <capability type='mdev_types'>
      <type id='vfio_ap-passthrough'>
        <name>VFIO AP Passthrough Device</name>
        <deviceAPI>vfio-ap</deviceAPI>
        <availableInstances>65536</availableInstances>
      </type>
    </capability>
  </capability>
</device>
`;

export const PLAIN_PCI = `<device>
  <name>pci_0000_00_1f_3</name>
  <parent>computer</parent>
  <capability type='pci'>
    <domain>0</domain><bus>0</bus><slot>31</slot><function>3</function>
    <product id='0x293e'>82801I (ICH9 Family) HD Audio Controller</product>
    <vendor id='0x8086'>Intel Corporation</vendor>
  </capability>
</device>
`;

export const MDEV = `<device>
  <name>mdev_d069d019_36ea_4111_8f0a_8c9a70e21366</name>
  <parent>pci_0000_02_10_7</parent>
  <capability type='mdev'>
    <type id='foo1'/>
    <uuid>D069D019-36EA-4111-8F0A-8C9A70E21366</uuid>
    <iommuGroup number='0'/>
  </capability>
</device>
`;
