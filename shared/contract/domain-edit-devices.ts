import { z } from 'zod';
import { deviceId, deviceXml, int, nonEmpty } from './domain-edit-fields';

/**
 * Device edits of the Details pages and Add Hardware: add, remove, replace one device's XML,
 * change a disk, a NIC or a display, insert or eject media.
 */

export const diskSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), file: nonEmpty('The file path') }).strict(),
  z.object({ kind: z.literal('block'), dev: nonEmpty('The block device') }).strict(),
  z
    .object({
      kind: z.literal('volume'),
      pool: nonEmpty('The pool'),
      volume: nonEmpty('The volume'),
      mode: z.enum(['host', 'direct']).optional(),
    })
    .strict(),
]);
export type DiskSourceInput = z.infer<typeof diskSourceSchema>;

export const interfaceSourceSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('network'),
      network: nonEmpty('The network'),
      portgroup: z.string().optional(),
    })
    .strict(),
  z.object({ type: z.literal('bridge'), bridge: nonEmpty('The bridge') }).strict(),
  z
    .object({
      type: z.literal('direct'),
      dev: nonEmpty('The host device'),
      mode: z.enum(['vepa', 'bridge', 'private', 'passthrough']).optional(),
    })
    .strict(),
  /** User-mode networking (slirp / passt): no host setup needed. */
  z.object({ type: z.literal('user') }).strict(),
]);
export type InterfaceSourceInput = z.infer<typeof interfaceSourceSchema>;

const listenSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('address'), address: nonEmpty('The listen address') }).strict(),
  z.object({ type: z.literal('network'), network: nonEmpty('The listen network') }).strict(),
  z.object({ type: z.literal('socket'), socket: z.string().optional() }).strict(),
  z.object({ type: z.literal('none') }).strict(),
]);

const diskBus = z.enum(['virtio', 'sata', 'scsi', 'ide', 'usb', 'fdc', 'sd']);
const macSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, 'A MAC address looks like 52:54:00:12:34:56');

/** Disk I/O limits (`<iotune>`, libvirt's block I/O tune); null removes a limit. */
const iotuneLimit = (what: string) => int(what).nullable().optional();
const iotuneSchema = z
  .object({
    totalBytesSec: iotuneLimit('The total bytes/s limit'),
    readBytesSec: iotuneLimit('The read bytes/s limit'),
    writeBytesSec: iotuneLimit('The write bytes/s limit'),
    totalIopsSec: iotuneLimit('The total IOPS limit'),
    readIopsSec: iotuneLimit('The read IOPS limit'),
    writeIopsSec: iotuneLimit('The write IOPS limit'),
  })
  .strict();
export type DiskIotuneInput = z.infer<typeof iotuneSchema>;
/** One direction of NIC QoS (`<bandwidth>`): average and peak in KiB/s, burst in KiB. */
const bandwidthDirection = z
  .object({
    average: int('The average rate'),
    peak: int('The peak rate').optional(),
    burst: int('The burst size').optional(),
  })
  .strict()
  .nullable()
  .optional();

/** The device members of `domainEditSchema`, in its order. */
export const deviceEditSchemas = [
  z
    .object({
      kind: z.literal('addDisk'),
      device: z.enum(['disk', 'cdrom', 'floppy']),
      /** null: an empty CD-ROM / floppy drive. */
      source: diskSourceSchema.nullable(),
      target: z.object({ dev: nonEmpty('The target device'), bus: diskBus }).strict(),
      driverType: z.enum(['raw', 'qcow2']).optional(),
      readonly: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('addInterface'),
      source: interfaceSourceSchema,
      model: nonEmpty('The NIC model').optional(),
      /** Omitted: libvirt generates one. */
      mac: macSchema.optional(),
      linkState: z.enum(['up', 'down']).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('addGraphics'),
      type: z.enum(['vnc', 'spice']),
      listen: listenSchema.optional(),
      port: int('The port', 5900).max(65535).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('addDeviceXml'), xml: deviceXml }).strict(),
  z.object({ kind: z.literal('removeDevice'), id: deviceId }).strict(),
  /** Insert (source) or eject (null) the medium of a CD-ROM or floppy drive; live too. */
  z
    .object({ kind: z.literal('setDiskMedia'), id: deviceId, source: diskSourceSchema.nullable() })
    .strict(),
  z
    .object({
      kind: z.literal('updateDisk'),
      id: deviceId,
      source: diskSourceSchema.optional(),
      bus: diskBus.optional(),
      cache: z
        .enum(['default', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe'])
        .nullable()
        .optional(),
      io: z.enum(['threads', 'native', 'io_uring']).nullable().optional(),
      discard: z.enum(['unmap', 'ignore']).nullable().optional(),
      readonly: z.boolean().optional(),
      shareable: z.boolean().optional(),
      serial: z.string().max(36).nullable().optional(),
      /** Live too while running (block I/O tune). */
      iotune: iotuneSchema.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('updateInterface'),
      id: deviceId,
      /** Live while running. */
      linkState: z.enum(['up', 'down']).optional(),
      model: nonEmpty('The NIC model').optional(),
      /** Shut-off VMs only (the guides' limit): pending while running. */
      mac: macSchema.optional(),
      source: interfaceSourceSchema.optional(),
      /** null removes a direction's limits; live through update-device where libvirt allows. */
      bandwidth: z
        .object({ inbound: bandwidthDirection, outbound: bandwidthDirection })
        .strict()
        .optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('updateGraphics'),
      id: deviceId,
      autoport: z.boolean().optional(),
      port: int('The port', 5900).max(65535).optional(),
      listen: listenSchema.optional(),
      /** Live while running; null removes it. */
      passwd: z.string().max(256).nullable().optional(),
      keymap: z.string().max(64).nullable().optional(),
    })
    .strict(),
  /** Puts this device XML in place of the device `id` (the XML tab of one device). */
  z.object({ kind: z.literal('replaceDeviceXml'), id: deviceId, xml: deviceXml }).strict(),
] as const;
