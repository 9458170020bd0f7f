import { z } from 'zod';
import { channel } from './channel';
import { deviceEditSchemas } from './domain-edit-devices';
import type { ContractError } from './errors';
import { tuningEditSchemas } from './domain-edit-tuning';
import { vmTargetSchema } from './vms';

/**
 * Editing a VM's definition: the Details pages (typed `DomainEdit`s) and the XML tab (whole
 * XML). Every edit is computed on the persistent (inactive) XML, so it changes only what it
 * names, and defined with libvirt's schema validation. When the VM runs, the hot-pluggable
 * part is also applied live; the rest is reported as pending until the next shutdown.
 * Whatever libvirt refuses leaves the persistent definition byte for byte as it was.
 */

export { diskSourceSchema, interfaceSourceSchema } from './domain-edit-devices';
export type { DiskIotuneInput, DiskSourceInput, InterfaceSourceInput } from './domain-edit-devices';

export const domainEditSchema = z.discriminatedUnion('kind', [
  ...tuningEditSchemas,
  ...deviceEditSchemas,
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
