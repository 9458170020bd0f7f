import { z } from 'zod';
import { channel } from './channel';
import type { ContractError } from './errors';
import { vmTargetSchema } from './vms';

/**
 * Editing a VM's definition: the Details pages (typed `DomainEdit`s) and the XML tab (whole
 * XML). Every edit is computed on the persistent (inactive) XML, so it changes only what it
 * names, and defined with libvirt's schema validation. When the VM runs, the hot-pluggable
 * part is also applied live; the rest is reported as pending until the next shutdown.
 * Whatever libvirt refuses leaves the persistent definition byte for byte as it was.
 */

const int = (what: string, min = 1) =>
  z
    .number()
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be at least ${min}`)
    .max(Number.MAX_SAFE_INTEGER);
const nonEmpty = (what: string) => z.string().trim().min(1, `${what} must not be empty`);
/** A file on the VM's host, which libvirt opens at start (it must be absolute there). */
const hostPath = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(4096)
    .refine((v) => v.startsWith('/'), `${what} must be absolute (start with /)`)
    .refine((v) => !/[\0\n\r]/.test(v), `${what} must be one line`);
/** A device's stable id as `shared/xml` `listDevices` gives it: `disk:vda`, `interface:52:54:…`. */
const deviceId = nonEmpty('The device id').max(256);
/** One device element, e.g. `<disk …>…</disk>`; checked by our parser, then by libvirt. */
const deviceXml = nonEmpty('The device XML').max(256 * 1024);

const diskSourceSchema = z.discriminatedUnion('kind', [
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

const interfaceSourceSchema = z.discriminatedUnion('type', [
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

export const domainEditSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('title'), title: z.string().max(1024).nullable() }).strict(),
  z
    .object({ kind: z.literal('description'), description: z.string().max(65536).nullable() })
    .strict(),
  /** Current (online at boot / now) and maximum vCPUs; at least one of them. */
  z
    .object({
      kind: z.literal('vcpus'),
      current: int('Current vCPUs').max(4096).optional(),
      maximum: int('Maximum vCPUs').max(4096).optional(),
    })
    .strict()
    .refine((e) => e.current !== undefined || e.maximum !== undefined, {
      message: 'Give the current or the maximum vCPU count',
      path: ['current'],
    }),
  /** Current memory (balloon target) and maximum (`<memory>`), in KiB. */
  z
    .object({
      kind: z.literal('memory'),
      currentKiB: int('Current memory (KiB)', 1024).optional(),
      maximumKiB: int('Maximum memory (KiB)', 1024).optional(),
    })
    .strict()
    .refine((e) => e.currentKiB !== undefined || e.maximumKiB !== undefined, {
      message: 'Give the current or the maximum memory',
      path: ['currentKiB'],
    }),
  /**
   * `<memoryBacking>`: huge pages (default size) and shared memory (memfd source with shared
   * access, what virtiofs needs); false removes. Persistent only: pending while running.
   */
  z
    .object({
      kind: z.literal('memoryBacking'),
      hugepages: z.boolean().optional(),
      sharedMemory: z.boolean().optional(),
    })
    .strict()
    .refine((e) => e.hugepages !== undefined || e.sharedMemory !== undefined, {
      message: 'Give huge pages or shared memory',
      path: ['hugepages'],
    }),
  z
    .object({
      kind: z.literal('cpu'),
      mode: z.enum(['custom', 'host-model', 'host-passthrough', 'maximum']).optional(),
      /** The named model, for mode custom. */
      model: nonEmpty('The CPU model').optional(),
      /** null removes `<topology>`; the product must equal the maximum vCPUs. */
      topology: z
        .object({
          sockets: int('Sockets').max(4096),
          dies: int('Dies').max(4096).optional(),
          cores: int('Cores').max(4096),
          threads: int('Threads').max(4096),
        })
        .strict()
        .nullable()
        .optional(),
    })
    .strict(),
  /**
   * Direct kernel boot (`<os><kernel|initrd|cmdline|dtb>`): the object sets all four, an
   * omitted one is removed; null boots through the firmware again. Persistent only.
   */
  z
    .object({
      kind: z.literal('directKernelBoot'),
      boot: z
        .object({
          kernel: hostPath('The kernel path'),
          initrd: hostPath('The initrd path').optional(),
          cmdline: z
            .string()
            .max(4096)
            .refine((v) => !/[\0\n\r]/.test(v), 'The kernel arguments must be one line')
            .optional(),
          dtb: hostPath('The DTB path').optional(),
        })
        .strict()
        .nullable(),
    })
    .strict(),
  /**
   * CPU pinning (`<cputune><vcpupin|emulatorpin>`): host CPU lists like "0-3,^2,5"; null or ''
   * unpins. Only the vCPUs and the emulator named here change.
   */
  z
    .object({
      kind: z.literal('cpuPinning'),
      vcpus: z
        .array(
          z
            .object({
              vcpu: int('The vCPU number', 0).max(4095),
              cpuset: z.string().trim().max(1024).nullable(),
            })
            .strict(),
        )
        .max(4096)
        .optional(),
      emulator: z.string().trim().max(1024).nullable().optional(),
    })
    .strict()
    .refine((e) => (e.vcpus?.length ?? 0) > 0 || e.emulator !== undefined, {
      message: 'Give a vCPU or the emulator pinning',
      path: ['vcpus'],
    }),
  /**
   * Guest NUMA cells (`<cpu><numa><cell>`), cell i gets id i; [] removes `<numa>`. Their cpus
   * must cover every vCPU once and their memory add up to the maximum memory. Persistent only.
   */
  z
    .object({
      kind: z.literal('numaNodes'),
      cells: z
        .array(
          z
            .object({
              cpus: nonEmpty('The cell vCPUs').max(1024),
              memoryKiB: int('The cell memory (KiB)', 1024),
            })
            .strict(),
        )
        .max(128),
    })
    .strict(),
  /** BIOS boot order by device class (`<os><boot dev>`). */
  z
    .object({
      kind: z.literal('bootDevices'),
      devices: z.array(z.enum(['hd', 'cdrom', 'network', 'fd'])).max(4),
    })
    .strict(),
  /** Per-device boot order by device id, first boots first (drops `<os><boot>`). */
  z.object({ kind: z.literal('deviceBootOrder'), ids: z.array(deviceId).max(64) }).strict(),
  z
    .object({
      kind: z.literal('bootMenu'),
      enabled: z.boolean(),
      timeoutMs: int('Boot menu timeout (ms)', 0).max(65535).optional(),
    })
    .strict(),
  /** Start with the host; not part of the XML, applied at once in any state. */
  z.object({ kind: z.literal('autostart'), autostart: z.boolean() }).strict(),
  /** BIOS or UEFI (firmware autoselection); shut-off VMs only. */
  z
    .object({
      kind: z.literal('firmware'),
      firmware: z.enum(['bios', 'efi']),
      secureBoot: z.boolean().optional(),
    })
    .strict(),
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
]);
export type DomainEdit = z.infer<typeof domainEditSchema>;
export type DomainEditKind = DomainEdit['kind'];

/** A part of the definition whose running value differs from the persistent one. */
export interface PendingChange {
  /** Stable key: `title`, `vcpu.maximum`, `memory.maximum`, `cpu`, `os.boot`, `device:disk:vdb` … */
  part: string;
  /** For people: "Maximum memory", "Disk vdb (added)". */
  label: string;
  /** Why it waits for the next shutdown. */
  reason: string;
  /** The value now running / after the next boot, when one line says it. */
  live?: string;
  next?: string;
}

export interface DomainXml {
  /** The persistent definition (secure: passwords included, so it can be defined back). */
  xml: string;
  /** The running definition, for an active VM (read-only in the XML tab). */
  live?: string;
  active: boolean;
  /** What the running VM does not have yet (empty while shut off). */
  pending: PendingChange[];
}

export interface DomainEditPreview {
  /** Persistent XML now and after the edit. */
  before: string;
  after: string;
  /** Unified, line-based (`--- current` / `+++ edited`, 3 lines of context); '' when equal. */
  diff: string;
  active: boolean;
  /** True when part of the edit reaches the running VM at once. */
  applyLive: boolean;
  /** What will be done live, for people ("set 2 vCPUs", "eject the medium of hdc"). */
  liveActions: string[];
  /** Parts of this edit that take effect only after the next shutdown, and why. */
  pendingUntilShutdown: PendingChange[];
  /** Set when the edit cannot be applied in this state; applyEdit then refuses with it. */
  refused?: string;
}

export interface DomainEditResult {
  /** The persistent XML as libvirt now stores it. */
  xml: string;
  /** True when the persistent definition was written. */
  persistent: boolean;
  /** What was applied to the running VM. */
  liveActions: string[];
  /** Everything now waiting for the next shutdown (of this edit and earlier ones). */
  pending: PendingChange[];
  /** The id of the device an add created, as `listDevices` names it. */
  deviceId?: string;
}

/** What the VM's emulator offers for `<cpu>` on its host (libvirt's domain capabilities). */
export interface CpuChoices {
  hostPassthrough: boolean;
  hostModel: boolean;
  /** The model host-model stands for on this host, when libvirt says. */
  hostModelName?: string;
  maximum: boolean;
  /** Models for mode custom, usable ones first; `usable` is libvirt's verdict (yes/no/unknown). */
  models: { name: string; usable: 'yes' | 'no' | 'unknown'; vendor?: string }[];
}

const editOptions = {
  /** Only the persistent definition, even while running (all of it is then pending). */
  persistentOnly: z.boolean().optional(),
};

const editInputSchema = vmTargetSchema.extend({ edit: domainEditSchema, ...editOptions }).strict();
export type DomainEditInput = z.infer<typeof editInputSchema>;

const xmlInputSchema = vmTargetSchema
  .extend({
    xml: z
      .string()
      .min(1, 'The XML is empty')
      .max(4 * 1024 * 1024),
  })
  .strict();

/**
 * libvirt errors of `domain:applyXml` carry the line when libvirt's message names one,
 * as `path: 'xml:<line>'`.
 */
export function xmlErrorLine(error: Pick<ContractError, 'path'>): number | undefined {
  const m = /^xml:(\d+)$/.exec(error.path ?? '');
  return m?.[1] ? Number(m[1]) : undefined;
}

export const domainEditChannels = {
  /** Persistent XML, the live one when running, and what is pending until shutdown. */
  'domain:getXml': channel<DomainXml>()(vmTargetSchema),
  'domain:pending': channel<{ active: boolean; pending: PendingChange[] }>()(vmTargetSchema),
  /** What an edit would do: XML diff, live part, pending parts, or why it is refused. */
  'domain:previewEdit': channel<DomainEditPreview>()(editInputSchema),
  'domain:applyEdit': channel<DomainEditResult>()(editInputSchema),
  /** Diff of a whole XML against the persistent one (the XML tab before Apply). */
  'domain:previewXml': channel<{ before: string; diff: string }>()(xmlInputSchema),
  /**
   * Defines the whole XML with schema validation (VIR_DOMAIN_DEFINE_VALIDATE). Refused: libvirt's
   * error (line in `path`, see xmlErrorLine), the definition unchanged. Never touches the live VM.
   */
  'domain:applyXml': channel<DomainEditResult>()(xmlInputSchema),
  /**
   * CPU modes and models the VM's emulator, arch, machine and virt type support on its host
   * (REMOTE_PROC_CONNECT_GET_DOMAIN_CAPABILITIES), for the CPUs page.
   */
  'domain:cpuChoices': channel<CpuChoices>()(vmTargetSchema),
  /** Shut-off VMs only, as libvirt requires; the UUID stays. */
  'domain:rename': channel<{ connectionId: string; uuid: string; name: string }>()(
    vmTargetSchema
      .extend({
        name: z
          .string()
          .trim()
          .min(1, 'The name must not be empty')
          .max(200)
          .refine((n) => !n.includes('/'), 'A VM name cannot contain /'),
      })
      .strict(),
  ),
};
