import { describe, expect, it } from 'vitest';
import { migrationAddress } from '../../../electron/migrate/migration-address';

describe('migrationAddress', () => {
  it('uses the address the user gave', () => {
    expect(migrationAddress('10.0.0.7', 'qemu+ssh://kvm1/system')).toEqual({
      host: '10.0.0.7',
      loopback: false,
      listen: '10.0.0.7',
    });
    expect(migrationAddress('[::1]', undefined)).toEqual({
      host: '[::1]',
      loopback: true,
      listen: '::1',
    });
  });

  it("takes the host of the destination's saved URI, as virt-manager does", () => {
    expect(migrationAddress(undefined, 'qemu+ssh://root@kvm2.example:2222/system')).toEqual({
      host: 'kvm2.example',
      loopback: false,
      listen: 'kvm2.example',
    });
  });

  it('keeps a local-socket destination on loopback (that daemon runs on this machine)', () => {
    for (const uri of ['qemu:///system', 'qemu+unix:///session?socket=/tmp/x/libvirt-sock']) {
      expect(migrationAddress(undefined, uri)).toEqual({
        host: '127.0.0.1',
        loopback: true,
        listen: '127.0.0.1',
      });
    }
    expect(migrationAddress('localhost', undefined)).toEqual({
      host: 'localhost',
      loopback: true,
      listen: '127.0.0.1',
    });
  });

  it('leaves the choice to libvirt without a URI, or with one it cannot read', () => {
    expect(migrationAddress(undefined, undefined)).toBeUndefined();
    expect(migrationAddress(undefined, 'not a uri')).toBeUndefined();
  });
});
