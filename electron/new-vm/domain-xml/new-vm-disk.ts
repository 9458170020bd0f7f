/** Where a planned disk's bytes are: a pool volume (libvirt resolves it) or a host path. */
export type DiskSource =
  { kind: 'volume'; pool: string; volume: string } | { kind: 'path'; path: string };

/** A disk or CD-ROM of the new VM, in the order the guest sees them. */
export interface NewVmDisk {
  device: 'disk' | 'cdrom';
  source: DiskSource;
  /** Image format for `<driver type>`: qcow2, raw. */
  format: string;
  /** What it is for; the installer media boots first. */
  role: 'system' | 'install-media' | 'driver-iso' | 'seed';
}
