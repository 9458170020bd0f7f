import { z } from 'zod';
import { deviceId, hostPath, int, nonEmpty } from './domain-edit-fields';

/**
 * Edits of the definition itself: title and description, vCPUs and memory, CPU model,
 * topology, pinning and NUMA, boot and firmware.
 */

/** The definition members of `domainEditSchema`, in its order. */
export const tuningEditSchemas = [
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
] as const;
