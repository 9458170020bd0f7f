import type { OsEntry } from '../../../shared/contract/new-vm';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function generic(
  key: string,
  entry: Partial<OsEntry> & Pick<OsEntry, 'name' | 'family' | 'version'>,
): OsEntry {
  return {
    id: `http://virtdeck.org/generic/${key}`,
    shortId: key,
    vendor: '',
    distro: '',
    releaseDate: null,
    eol: false,
    recommended: { memoryBytes: 2 * GiB, vcpus: 2, diskBytes: 20 * GiB },
    minimum: { memoryBytes: 512 * MiB, vcpus: 1, diskBytes: 8 * GiB },
    maximum: { memoryBytes: null, vcpus: null },
    virtioDisk: true,
    virtioNet: true,
    efi: 'supported',
    secureBoot: false,
    tpm: false,
    windows: false,
    treeUrls: [],
    cloudImageUrls: [],
    ...entry,
  };
}

/**
 * Used when osinfo-db is not installed where the app runs: a few generic entries whose
 * figures follow the vendors' published minimums (Windows 11: 4 GiB, 2 CPUs, 64 GiB, UEFI
 * with Secure Boot and TPM 2.0), so the wizard still proposes safe defaults.
 */
export function builtinOsList(): OsEntry[] {
  return [
    generic('linux2022', { name: 'Generic Linux 2022', family: 'linux', version: '2022' }),
    generic('win10', {
      name: 'Microsoft Windows 10',
      vendor: 'Microsoft Corporation',
      family: 'winnt',
      distro: 'win',
      version: '10.0',
      recommended: { memoryBytes: 4 * GiB, vcpus: 2, diskBytes: 64 * GiB },
      minimum: { memoryBytes: 2 * GiB, vcpus: 1, diskBytes: 32 * GiB },
      virtioDisk: false,
      virtioNet: false,
      windows: true,
    }),
    generic('win11', {
      name: 'Microsoft Windows 11',
      vendor: 'Microsoft Corporation',
      family: 'winnt',
      distro: 'win',
      version: '11.0',
      recommended: { memoryBytes: 4 * GiB, vcpus: 2, diskBytes: 64 * GiB },
      minimum: { memoryBytes: 4 * GiB, vcpus: 2, diskBytes: 64 * GiB },
      virtioDisk: false,
      virtioNet: false,
      efi: 'required',
      secureBoot: true,
      tpm: true,
      windows: true,
    }),
    generic('freebsd', {
      name: 'FreeBSD',
      vendor: 'FreeBSD Project',
      family: 'freebsd',
      distro: 'freebsd',
      version: '13',
      recommended: { memoryBytes: 2 * GiB, vcpus: 2, diskBytes: 20 * GiB },
    }),
    generic('other', {
      name: 'Other / unknown OS',
      family: '',
      version: '',
      // Nothing is known: the safest devices every OS has drivers for.
      virtioDisk: false,
      virtioNet: false,
      efi: 'unknown',
      recommended: { memoryBytes: 1 * GiB, vcpus: 1, diskBytes: 16 * GiB },
    }),
  ];
}
