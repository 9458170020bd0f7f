import { describe, expect, it } from 'vitest';
import type { NewVmHostInfo, OsEntry } from '../../../../shared/contract';
import { osDefaults, resourceLimits } from '../../../../renderer/src/components/new-vm/os-defaults';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

function host(change: Partial<NewVmHostInfo> = {}): NewVmHostInfo {
  return {
    connectionId: '00000000-0000-4000-8000-0000000000c1',
    hostArch: 'x86_64',
    arches: [],
    hostMemoryBytes: 8 * GiB,
    hostCpus: 4,
    maxVcpus: 255,
    firmware: { bios: true, efi: true, secureBoot: true },
    tpm: { emulator: true, versions: ['2.0'] },
    defaultNetwork: { defined: false, active: false },
    session: true,
    pools: [],
    ...change,
  };
}

function os(change: Partial<OsEntry> = {}): OsEntry {
  return {
    id: 'http://microsoft.com/win/11',
    shortId: 'win11',
    name: 'Microsoft Windows 11',
    vendor: 'Microsoft Corporation',
    family: 'winnt',
    distro: 'win',
    version: '10.0',
    releaseDate: '2021-10-04',
    eol: false,
    recommended: { memoryBytes: 16 * GiB, vcpus: 8, diskBytes: 128 * GiB },
    minimum: { memoryBytes: 4 * GiB, vcpus: 2, diskBytes: 64 * GiB },
    maximum: { memoryBytes: null, vcpus: null },
    virtioDisk: false,
    virtioNet: false,
    efi: 'required',
    secureBoot: true,
    tpm: true,
    windows: true,
    treeUrls: [],
    cloudImageUrls: [],
    ...change,
  };
}

describe('osDefaults', () => {
  it('takes the recommendation but never more than the host has', () => {
    const d = osDefaults(os(), host(), 'bios');
    expect(d).toEqual({
      memoryMiB: 8192,
      vcpus: 4,
      diskGiB: 128,
      firmware: 'efi',
      secureBoot: true,
      tpm: true,
    });
  });

  it('gives a generic guest 1 GiB, one vCPU, 20 GiB and the preferred firmware', () => {
    expect(osDefaults(null, host(), 'bios')).toEqual({
      memoryMiB: 1024,
      vcpus: 1,
      diskGiB: 20,
      firmware: 'bios',
      secureBoot: false,
      tpm: false,
    });
    expect(osDefaults(null, host(), 'efi').firmware).toBe('efi');
  });

  it('falls back to the firmware the host offers and drops what it lacks', () => {
    const noEfi = host({
      firmware: { bios: true, efi: false, secureBoot: false },
      tpm: { emulator: false, versions: [] },
    });
    const d = osDefaults(os(), noEfi, 'efi');
    expect([d.firmware, d.secureBoot, d.tpm]).toEqual(['bios', false, false]);
    expect(osDefaults(os({ efi: 'unsupported', windows: false }), host(), 'efi').firmware).toBe(
      'bios',
    );
  });
});

describe('resourceLimits', () => {
  it('says whether the host or the OS limits', () => {
    expect(resourceLimits(null, host())).toEqual({
      memoryBytes: 8 * GiB,
      vcpus: 255,
      memoryBy: 'host',
      vcpusBy: 'host',
    });
    const small = os({ maximum: { memoryBytes: 512 * MiB, vcpus: 2 } });
    expect(resourceLimits(small, host())).toEqual({
      memoryBytes: 512 * MiB,
      vcpus: 2,
      memoryBy: 'os',
      vcpusBy: 'os',
    });
  });
});
