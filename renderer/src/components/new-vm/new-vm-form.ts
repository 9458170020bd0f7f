import type { InstallMethodKind, Size } from '../../../../shared/contract';
import { emptyNicSource, type NicSourceForm } from '../vm-details/devices/nic-source-form';

/**
 * A file on the VM's host as the wizard's fields hold it. `upload` is a file of this machine
 * still to be uploaded into `pool` as `volume`; after the upload it becomes a `volume`.
 */
export interface HostFileForm {
  kind: 'volume' | 'path' | 'upload';
  pool: string;
  volume: string;
  path: string;
  /** The browser's file for `upload` (Vue leaves File objects unproxied). */
  file: File | null;
}

export interface CloudInitForm {
  user: string;
  password: string;
  /** One public key per line, as pasted or read from .pub files. */
  sshKeys: string;
  hostname: string;
  userData: string;
}

/** Everything the wizard's steps edit; `specForStep` turns it into the contract's spec. */
export interface NewVmForm {
  connectionId: string;
  arch: string;
  /** '' = the host's default machine type for the arch. */
  machine: string;
  method: InstallMethodKind;
  media: HostFileForm;
  tree: { url: string; kernelArgs: string; autoinstallUrl: string };
  importDisk: HostFileForm;
  importFormat: 'qcow2' | 'raw';
  cloud: { base: HostFileForm; mode: 'clone' | 'overlay'; init: CloudInitForm };
  /** osinfo id; null = generic. */
  osId: string | null;
  memoryMiB: number;
  vcpus: number;
  storage: {
    kind: 'new' | 'existing' | 'none';
    pool: string;
    size: Size;
    format: 'qcow2' | 'raw';
    existing: HostFileForm;
  };
  name: string;
  /** false: no network card at all. */
  withNetwork: boolean;
  network: NicSourceForm;
  firmware: 'bios' | 'efi';
  secureBoot: boolean;
  tpm: boolean;
  graphics: 'vnc' | 'spice' | 'none';
  driverIso: { enabled: boolean; file: HostFileForm };
}

export function emptyHostFile(kind: HostFileForm['kind'] = 'volume'): HostFileForm {
  return { kind, pool: '', volume: '', path: '', file: null };
}

/** The defaults the user's preferences choose (the rest follows the host and the OS). */
export interface NewVmFormDefaults {
  storageFormat: 'qcow2' | 'raw';
  firmware: 'bios' | 'uefi';
  graphics: 'vnc' | 'spice';
}

export function emptyNewVmForm(connectionId: string, defaults: NewVmFormDefaults): NewVmForm {
  return {
    connectionId,
    arch: '',
    machine: '',
    method: 'media',
    media: emptyHostFile('upload'),
    tree: { url: '', kernelArgs: '', autoinstallUrl: '' },
    importDisk: emptyHostFile(),
    importFormat: 'qcow2',
    cloud: {
      base: emptyHostFile(),
      mode: 'clone',
      init: { user: 'user', password: '', sshKeys: '', hostname: '', userData: '' },
    },
    osId: null,
    memoryMiB: 1024,
    vcpus: 1,
    storage: {
      kind: 'new',
      pool: '',
      size: { value: 20, unit: 'GiB' },
      format: defaults.storageFormat,
      existing: emptyHostFile(),
    },
    name: '',
    withNetwork: true,
    network: emptyNicSource('default'),
    firmware: defaults.firmware === 'uefi' ? 'efi' : 'bios',
    secureBoot: false,
    tpm: false,
    graphics: defaults.graphics,
    driverIso: { enabled: false, file: emptyHostFile() },
  };
}

/** Splits pasted text (and .pub files) into keys: one per non-empty, non-comment line. */
export function sshKeyLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Appends the keys of a .pub file to the pasted ones, skipping keys already there. */
export function addSshKeys(current: string, fileText: string): string {
  const have = sshKeyLines(current);
  const added = sshKeyLines(fileText).filter((key) => !have.includes(key));
  return [...have, ...added].join('\n');
}
