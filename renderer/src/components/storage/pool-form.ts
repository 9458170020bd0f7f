import type { PoolDefineInput, PoolDefineType } from '../../../../shared/contract';

/** Every field of every pool type's form; `poolInput` keeps those of the chosen type. */
export interface PoolForm {
  type: PoolDefineType;
  name: string;
  targetPath: string;
  sourceDevice: string;
  format: string;
  host: string;
  sourcePath: string;
  vgName: string;
  devices: string;
  port: number;
  target: string;
  initiator: string;
  chapUser: string;
  chapPassword: string;
  adapterKind: 'scsi_host' | 'fc_host';
  adapterName: string;
  parent: string;
  wwnn: string;
  wwpn: string;
  build: boolean;
  wipeConfirmed: boolean;
  start: boolean;
  autostart: boolean;
}

/** The guides' defaults per type (target folders, formats). */
export const POOL_DEFAULTS: Record<PoolDefineType, Partial<PoolForm>> = {
  dir: { targetPath: '/var/lib/libvirt/images/' },
  fs: { targetPath: '/var/lib/libvirt/images/', format: 'auto' },
  netfs: { targetPath: '/var/lib/libvirt/images/', format: 'auto' },
  logical: {},
  disk: { targetPath: '/dev', format: 'gpt' },
  iscsi: { targetPath: '/dev/disk/by-path' },
  scsi: { targetPath: '/dev/disk/by-path' },
};

/** Types whose build writes to a device (its data is lost). */
export const WIPING_TYPES: readonly PoolDefineType[] = ['fs', 'logical', 'disk'];

const opt = <K extends string>(key: K, value: string): Partial<Record<K, string>> =>
  value.trim() ? ({ [key]: value.trim() } as Record<K, string>) : {};

export function poolInput(connectionId: string, f: PoolForm): PoolDefineInput {
  const base = { connectionId, name: f.name.trim(), start: f.start, autostart: f.autostart };
  const wipe = { build: f.build, wipeConfirmed: f.wipeConfirmed };
  switch (f.type) {
    case 'dir':
      return { ...base, type: 'dir', targetPath: f.targetPath.trim() };
    case 'fs':
      return {
        ...base,
        ...wipe,
        type: 'fs',
        sourceDevice: f.sourceDevice.trim(),
        format: f.format as 'auto',
        targetPath: f.targetPath.trim(),
      };
    case 'netfs':
      return {
        ...base,
        type: 'netfs',
        host: f.host.trim(),
        sourcePath: f.sourcePath.trim(),
        format: f.format as 'auto',
        targetPath: f.targetPath.trim(),
      };
    case 'logical':
      return {
        ...base,
        ...wipe,
        type: 'logical',
        ...opt('vgName', f.vgName),
        devices: f.devices
          .split(/[\s,]+/)
          .map((d) => d.trim())
          .filter(Boolean),
      };
    case 'disk':
      return {
        ...base,
        ...wipe,
        type: 'disk',
        sourceDevice: f.sourceDevice.trim(),
        format: f.format as 'gpt',
        targetPath: f.targetPath.trim(),
      };
    case 'iscsi':
      return {
        ...base,
        type: 'iscsi',
        host: f.host.trim(),
        port: Number(f.port),
        target: f.target.trim(),
        ...opt('initiator', f.initiator),
        ...(f.chapUser.trim()
          ? { chap: { username: f.chapUser.trim(), password: f.chapPassword } }
          : {}),
        targetPath: f.targetPath.trim(),
      };
    case 'scsi':
      return {
        ...base,
        type: 'scsi',
        adapter:
          f.adapterKind === 'scsi_host'
            ? { kind: 'scsi_host', name: f.adapterName.trim() }
            : {
                kind: 'fc_host',
                ...opt('parent', f.parent),
                wwnn: f.wwnn.trim(),
                wwpn: f.wwpn.trim(),
              },
        targetPath: f.targetPath.trim(),
      };
  }
}
