import { describe, expect, it } from 'vitest';
import { parseXml, serializeXml } from '../../../shared/xml';
import { planSpiceToVnc } from '../../../electron/consoles/spice-to-vnc';

const SPICE = `<domain type='kvm'>
  <name>desk</name>
  <!-- kept as written -->
  <devices>
    <disk type='file' device='disk'><source file='/var/lib/libvirt/images/desk.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <graphics type='spice' autoport='yes' passwd='pw' keymap='de'>
      <listen type='address' address='0.0.0.0'/>
      <image compression='off'/>
      <gl enable='no'/>
    </graphics>
    <audio id='1' type='spice'/>
    <video><model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'><acceleration accel3d='no'/></model></video>
    <redirdev bus='usb' type='spicevmc'/>
    <redirdev bus='usb' type='spicevmc'/>
    <smartcard mode='passthrough' type='spicevmc'/>
  </devices>
</domain>
`;

describe('planSpiceToVnc', () => {
  it('turns SPICE into VNC and removes or adapts what only SPICE uses', () => {
    const { doc, changes } = planSpiceToVnc(parseXml(SPICE));
    const xml = serializeXml(doc);
    expect(xml).toContain(`<graphics type='vnc' autoport='yes' passwd='pw' keymap='de'>`);
    expect(xml).toContain(`<listen type='address' address='0.0.0.0'/>`);
    expect(xml).not.toMatch(/spicevmc|type='spice'|<image|<gl |qxl|acceleration/);
    expect(xml).toContain(`<audio id='1' type='none'/>`);
    expect(xml).toContain(`<model type='vga' heads='1' primary='yes'/>`);
    // Everything else untouched, comments included.
    expect(xml).toContain('<!-- kept as written -->');
    expect(xml).toContain(`<source file='/var/lib/libvirt/images/desk.qcow2'/>`);
    expect(xml).toContain(`name='org.qemu.guest_agent.0'`);
    expect(changes).toHaveLength(7);
    expect(changes.map((c) => c.description)).toContain(
      'The SPICE display becomes a VNC display (same listen address, port and password)',
    );
    // What is shown never holds the password.
    expect(JSON.stringify(changes)).not.toContain(`'pw'`);
    expect(changes.find((c) => c.before?.startsWith('<graphics'))?.before).toContain('********');
  });

  it('only removes SPICE when the VM already has VNC, and finds nothing to do the second time', () => {
    const both = SPICE.replace(
      '<audio',
      `<graphics type='vnc' port='-1' autoport='yes'/>\n    <audio`,
    );
    const { doc, changes } = planSpiceToVnc(parseXml(both));
    const xml = serializeXml(doc);
    expect(xml.match(/<graphics /g)).toHaveLength(1);
    expect(changes.find((c) => c.before?.startsWith('<graphics'))?.after).toBeNull();
    expect(planSpiceToVnc(doc).changes).toEqual([]);
  });

  it('cuts a password longer than VNC takes to its first 8 characters, and says so', () => {
    const long = SPICE.replace("passwd='pw'", "passwd='0123456789ab'");
    const { doc, changes } = planSpiceToVnc(parseXml(long));
    expect(serializeXml(doc)).toContain(`<graphics type='vnc' autoport='yes' passwd='01234567'`);
    const graphics = changes.find((c) => c.before?.startsWith('<graphics'));
    expect(graphics?.description).toMatch(/only the first 8 characters of a password/);
    expect(JSON.stringify(changes)).not.toMatch(/01234567/);
  });
});
