import { describe, expect, it } from 'vitest';
import type { BuildUriInput } from '../../../shared/contract/connections';
import { VirtDeckError } from '../../../shared/contract/errors';
import { buildConnectionUri } from '../../../electron/connections/build-connection-uri';
import { parseLibvirtUri } from '../../../electron/libvirt/uri/libvirt-uri';

describe('buildConnectionUri', () => {
  it.each<[BuildUriInput, string]>([
    [{ hypervisor: 'qemu-system', transport: 'local' }, 'qemu:///system'],
    [{ hypervisor: 'qemu-session', transport: 'local' }, 'qemu:///session'],
    [{ hypervisor: 'lxc', transport: 'local' }, 'lxc:///'],
    [{ hypervisor: 'test', transport: 'local' }, 'test:///default'],
    [
      { hypervisor: 'qemu-system', transport: 'ssh', user: 'root', host: '10.0.0.1' },
      'qemu+ssh://root@10.0.0.1/system',
    ],
    [
      { hypervisor: 'qemu-session', transport: 'ssh', user: 'ann', host: 'kvm1.lab', port: 2222 },
      'qemu+ssh://ann@kvm1.lab:2222/session',
    ],
    [{ hypervisor: 'qemu-system', transport: 'tls', host: 'kvm1' }, 'qemu+tls://kvm1/system'],
    [
      { hypervisor: 'qemu-system', transport: 'tcp', host: '::1', port: 16509 },
      'qemu+tcp://[::1]:16509/system',
    ],
    [{ hypervisor: 'lxc', transport: 'ssh', host: 'ct1' }, 'lxc+ssh://ct1/'],
    // Form fields left empty are "not given".
    [{ hypervisor: 'test', transport: 'local', user: ' ', host: '' }, 'test:///default'],
  ])('%j → %s', (input, uri) => {
    expect(buildConnectionUri(input)).toBe(uri);
  });

  it('escapes a user name as libvirt would unescape it', () => {
    const uri = buildConnectionUri({
      hypervisor: 'qemu-system',
      transport: 'ssh',
      user: 'dom\\ann@corp',
      host: 'h',
    });
    expect(uri).toBe('qemu+ssh://dom%5Cann%40corp@h/system');
    expect(parseLibvirtUri(uri).user).toBe('dom\\ann@corp');
  });

  it.each<[BuildUriInput, string, RegExp]>([
    [{ hypervisor: 'qemu-system', transport: 'local', host: 'h' }, 'host', /local connection/],
    [{ hypervisor: 'qemu-system', transport: 'local', port: 22 }, 'port', /local connection/],
    [{ hypervisor: 'qemu-system', transport: 'ssh' }, 'host', /A host is required for SSH/],
    [{ hypervisor: 'qemu-system', transport: 'ssh', host: 'bad host' }, 'host', /Invalid host/],
    [{ hypervisor: 'qemu-system', transport: 'tcp', host: 'a/b' }, 'host', /Invalid host/],
    [
      { hypervisor: 'qemu-system', transport: 'ssh', host: 'h', user: 'a b' },
      'user',
      /Invalid user/,
    ],
  ])('refuses %j (at %s)', (input, path, message) => {
    const error = (() => {
      try {
        buildConnectionUri(input);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(VirtDeckError);
    expect(error).toMatchObject({ kind: 'validation', path });
    expect((error as Error).message).toMatch(message);
  });
});
