import { z } from 'zod';
import { channel } from './channel';
import { interfaceSourceSchema } from './domain-edit';
import { sizeSchema, type PoolSummary } from './storage';

/**
 * The New VM wizard. The renderer gathers a `NewVmSpec` step by step; the main process checks
 * each step against the host (`newVm:check`), builds the domain XML (`newVm:preview`, shown in
 * the summary) and creates everything (`newVm:create`), removing all it created when any part
 * fails. Operating systems come from osinfo-db (the database libosinfo reads), read where the
 * app runs, as virt-manager does.
 */

/** What osinfo-db (or our short built-in list) recommends for one OS. */
export interface OsEntry {
  /** osinfo's id, a URI: `http://debian.org/debian/12`; ours for the built-in list: `http://virtdeck.org/generic/…`. */
  id: string;
  /** `debian12`, `win11`, … */
  shortId: string;
  /** `Debian 12`, `Microsoft Windows 11`. */
  name: string;
  vendor: string;
  /** osinfo's family: `linux`, `winnt`, `freebsd`, … */
  family: string;
  /** Distro within the family (`debian`, `fedora`, `win`); '' when osinfo has none. */
  distro: string;
  version: string;
  /** ISO date or null; used to sort and to hide very old entries by default. */
  releaseDate: string | null;
  /** End of life has passed (osinfo's `eol-date`), shown but listed after the rest. */
  eol: boolean;
  /** Recommended (else minimum) values for x86_64, else for any architecture. */
  recommended: { memoryBytes: number | null; vcpus: number | null; diskBytes: number | null };
  minimum: { memoryBytes: number | null; vcpus: number | null; diskBytes: number | null };
  /** The most the OS supports (the guides' limits), when osinfo knows. */
  maximum: { memoryBytes: number | null; vcpus: number | null };
  /** The OS has virtio drivers built in (osinfo lists a virtio-block/-net device for it). */
  virtioDisk: boolean;
  virtioNet: boolean;
  /** osinfo says UEFI is supported / required (`<firmware type="efi" supported="…">`). */
  efi: 'required' | 'supported' | 'unsupported' | 'unknown';
  /** Secure Boot needed or recommended (Windows 11). */
  secureBoot: boolean;
  /** A TPM 2.0 is required or recommended. */
  tpm: boolean;
  /** Windows preset: Hyper-V enlightenments, localtime clock with hypervclock, virtio-win ISO offer. */
  windows: boolean;
  /** Network install trees osinfo knows for this OS (URL per architecture), for the URL field's suggestions. */
  treeUrls: { arch: string; url: string }[];
  /** A cloud image osinfo knows (for the cloud-image method's suggestion), per architecture. */
  cloudImageUrls: { arch: string; url: string }[];
}

export interface OsCatalog {
  source: 'osinfo-db' | 'builtin';
  /** Where it was read from (`/usr/share/osinfo`) or why the built-in list is used. */
  note: string;
  /** osinfo-db's VERSION, when read from it. */
  version: string | null;
  oses: OsEntry[];
}

/** How the wizard detected the OS. */
export interface OsDetection {
  osId: string | null;
  /** `volume-id`: the ISO's label matched osinfo's media rule; `name`: the file/volume name did. */
  matchedBy: 'volume-id' | 'name' | null;
  /** The ISO 9660 volume label when it could be read. */
  volumeId: string | null;
}

export interface HostMachineType {
  name: string;
  /** The machine's alias target, e.g. `pc` → `pc-i440fx-7.2`. */
  canonical: string | null;
  maxCpus: number | null;
}

export interface HostArchitecture {
  arch: string;
  /** `kvm` where the host offers it, else `qemu` (TCG). */
  domainTypes: string[];
  machines: HostMachineType[];
  /** The default machine type the host's capabilities name (e.g. `pc-q35-…` mapped from `q35`). */
  defaultMachine: string | null;
}

/** What the host can do, read from its capabilities and domain capabilities. */
export interface NewVmHostInfo {
  connectionId: string;
  /** The host's own architecture (first in `arches`). */
  hostArch: string;
  arches: HostArchitecture[];
  hostMemoryBytes: number;
  hostCpus: number;
  /** For the chosen arch/machine: the domain capabilities' vCPU maximum. */
  maxVcpus: number | null;
  firmware: {
    bios: boolean;
    efi: boolean;
    /** A firmware descriptor with Secure Boot is available (domain capabilities' `secure` enum). */
    secureBoot: boolean;
  };
  /** An emulated TPM (swtpm) is offered: versions libvirt lists, e.g. ['2.0']. */
  tpm: { emulator: boolean; versions: string[] };
  /** The `default` virtual network: whether it is defined and running. */
  defaultNetwork: { defined: boolean; active: boolean };
  /** Session (unprivileged) connection: no bridges, user-mode networking offered. */
  session: boolean;
  pools: PoolSummary[];
}

const nonEmpty = (what: string) => z.string().trim().min(1, `${what} must not be empty`).max(4096);
const hostPath = (what: string) =>
  nonEmpty(what)
    .refine((v) => v.startsWith('/'), `${what} must be an absolute path on the host (start with /)`)
    .refine((v) => !/[\0\n\r]/.test(v), `${what} must be one line`);
const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .max(4096)
    .refine(
      (v) => /^(https?|ftp):\/\/[^\s/]+/i.test(v),
      `${what} must be an http, https or ftp URL`,
    );

/** A file on the VM's host: a pool's volume, or a path libvirt can open there. */
export const hostFileSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('volume'),
      pool: nonEmpty('The pool'),
      volume: nonEmpty('The volume'),
    })
    .strict(),
  z.object({ kind: z.literal('path'), path: hostPath('The path') }).strict(),
]);
export type HostFile = z.infer<typeof hostFileSchema>;

export const cloudInitSchema = z
  .object({
    user: z
      .string()
      .regex(
        /^[a-z_][a-z0-9_-]{0,31}$/,
        'A user name uses lower-case letters, digits, _ and - (at most 32)',
      ),
    /** Plain text; written hashed (SHA-512 crypt) into user-data, never as given. */
    password: z.string().max(256).optional(),
    sshKeys: z
      .array(
        z
          .string()
          .trim()
          .regex(
            /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( [^\n]*)?$/,
            'An SSH public key looks like "ssh-ed25519 AAAA… comment"',
          ),
      )
      .max(50),
    hostname: z
      .string()
      .regex(
        /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/,
        'A host name uses letters, digits and - (at most 63)',
      ),
    /**
     * Extra user-data, sent with ours as a MIME multipart: `#cloud-config` is merged (the user's
     * values win, lists append), a `#!` script or `#include` runs as its own part.
     */
    userData: z
      .string()
      .max(64 * 1024)
      .optional(),
  })
  .strict()
  .refine((c) => (c.password ?? '') !== '' || c.sshKeys.length > 0 || (c.userData ?? '') !== '', {
    message: 'Give a password, an SSH key or user-data, or nobody can log in',
  });
export type CloudInitInput = z.infer<typeof cloudInitSchema>;

export const installMethodSchema = z.discriminatedUnion('kind', [
  /** An installer ISO on the host (a file uploaded from this machine first becomes a pool volume). */
  z.object({ kind: z.literal('media'), media: hostFileSchema }).strict(),
  /** A network install tree: kernel and initrd fetched from it for the first boot. */
  z
    .object({
      kind: z.literal('tree'),
      url: httpUrl('The install tree URL'),
      kernelArgs: z.string().max(4096).optional(),
      /** Kickstart / preseed / autoinstall URL, added to the kernel arguments as the OS expects. */
      autoinstallUrl: httpUrl('The kickstart/autoinstall URL').optional(),
    })
    .strict(),
  /** Boot from the network first (PXE) on the chosen NIC. */
  z.object({ kind: z.literal('pxe') }).strict(),
  /** Boot an existing disk image. */
  z
    .object({
      kind: z.literal('import'),
      disk: hostFileSchema,
      format: z.enum(['qcow2', 'raw']).optional(),
    })
    .strict(),
  /** A cloud image, copied (`clone`) or used as a backing file (`overlay`) in a new volume, plus a NoCloud seed. */
  z
    .object({
      kind: z.literal('cloud'),
      base: hostFileSchema,
      mode: z.enum(['clone', 'overlay']),
      cloudInit: cloudInitSchema,
    })
    .strict(),
  /** No media; boots nothing until the user adds some. */
  z.object({ kind: z.literal('manual') }).strict(),
]);
export type InstallMethod = z.infer<typeof installMethodSchema>;
export type InstallMethodKind = InstallMethod['kind'];

export const newVmStorageSchema = z.discriminatedUnion('kind', [
  /** A new volume (for `cloud`: the copy/overlay of the base image, grown to `size`). */
  z
    .object({
      kind: z.literal('new'),
      pool: nonEmpty('The pool'),
      size: sizeSchema,
      format: z.enum(['qcow2', 'raw']),
    })
    .strict(),
  z.object({ kind: z.literal('existing'), disk: hostFileSchema }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
]);
export type NewVmStorage = z.infer<typeof newVmStorageSchema>;

export const NEW_VM_MEMORY_MIN_BYTES = 16 * 1024 ** 2;

export const newVmSpecSchema = z
  .object({
    connectionId: z.uuid(),
    arch: nonEmpty('The architecture').max(32),
    /** Default: the host's default for the arch (q35 on x86_64 where offered). */
    machine: z.string().max(128).optional(),
    method: installMethodSchema,
    /** osinfo id; null: generic (no OS-specific defaults). */
    osId: z.string().max(512).nullable(),
    memoryBytes: z
      .number()
      .int()
      .min(NEW_VM_MEMORY_MIN_BYTES, 'A VM needs at least 16 MiB of memory'),
    vcpus: z.number().int().min(1, 'A VM needs at least one vCPU').max(4096),
    /** Ignored for `import` (the imported disk is the storage) — there, use `{ kind: 'none' }`. */
    storage: newVmStorageSchema,
    /** libvirt's own name rule is checked on the host; these are the characters we accept. */
    name: z
      .string()
      .min(1, 'A name is required')
      .max(200, 'A name has at most 200 characters')
      .regex(
        /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/,
        'A name may use letters, digits and _ . + - only, and must not start with . or -',
      ),
    title: z.string().max(200).optional(),
    /** null: no network card. */
    network: interfaceSourceSchema.nullable(),
    firmware: z.enum(['bios', 'efi']),
    secureBoot: z.boolean(),
    /** Emulated TPM 2.0 (swtpm). */
    tpm: z.boolean(),
    graphics: z.enum(['vnc', 'spice', 'none']),
    /** Windows: the virtio-win driver ISO as a second CD-ROM. */
    driverIso: hostFileSchema.optional(),
  })
  .strict();
export type NewVmSpec = z.infer<typeof newVmSpecSchema>;

export const newVmSteps = ['host', 'method', 'os', 'resources', 'storage', 'finish'] as const;
export type NewVmStep = (typeof newVmSteps)[number];

export interface NewVmProblem {
  step: NewVmStep;
  /** The spec field it is about (dotted: `method.media`, `storage.size`, `name`). */
  field: string;
  message: string;
  /** `warning`s (e.g. more vCPUs than the OS recommends) do not block creation. */
  severity: 'error' | 'warning';
}

export interface NewVmPreview {
  /** The domain XML to be defined: always with a `<uuid>`. */
  xml: string;
  uuid: string;
  /** Volumes to be created (name, pool, bytes), for the summary. */
  volumes: {
    pool: string;
    name: string;
    capacityBytes: number;
    purpose: 'disk' | 'seed' | 'kernel' | 'initrd';
  }[];
  problems: NewVmProblem[];
}

export interface NewVmCreated {
  connectionId: string;
  uuid: string;
  name: string;
  /** false when the spec asked to customize first (start it with 'newVm:begin'). */
  started: boolean;
}

/** Progress of one creation, pushed as 'newVm:progress'. */
export interface NewVmProgress {
  jobId: string;
  phase:
    | 'checking'
    | 'volumes'
    | 'copying'
    | 'seed'
    | 'kernel'
    | 'defining'
    | 'starting'
    | 'done'
    | 'rolling-back'
    | 'failed';
  /** For copies/uploads: bytes done and total. */
  done?: number;
  total?: number;
  message?: string;
}

export interface NewVmEvents {
  'newVm:progress': NewVmProgress;
}

const specStepSchema = z.object({ spec: newVmSpecSchema, step: z.enum(newVmSteps) }).strict();

export const newVmChannels = {
  /** The OS list (osinfo-db where the app runs, else a built-in generic list with a note). */
  'newVm:osList': channel<OsCatalog>()(z.object({}).strict()),
  /** Guess the OS from install media: the ISO's volume label (read through libvirt), else its name. */
  'newVm:detectOs': channel<OsDetection>()(
    z.object({ connectionId: z.uuid(), media: hostFileSchema }).strict(),
  ),
  'newVm:hostInfo': channel<NewVmHostInfo>()(
    z
      .object({
        connectionId: z.uuid(),
        arch: z.string().max(32).optional(),
        machine: z.string().max(128).optional(),
      })
      .strict(),
  ),
  /**
   * The problems of every step up to and including `step` (a spec filled with defaults for
   * later steps is fine: their fields are not checked). Checks the host: duplicate names,
   * paths that do not exist, pool free space, URL reachability, missing default network.
   */
  'newVm:check': channel<NewVmProblem[]>()(specStepSchema),
  /** The XML and volumes 'newVm:create' would make, with every problem. */
  'newVm:preview': channel<NewVmPreview>()(z.object({ spec: newVmSpecSchema }).strict()),
  /**
   * Creates volumes, seed image, kernel/initrd and the definition, then starts it unless
   * `customize`. Any failure removes everything it created and answers libvirt's error.
   */
  'newVm:create': channel<NewVmCreated>()(
    z
      .object({
        spec: newVmSpecSchema,
        jobId: z.uuid(),
        /** Define only; the VM window's Details edit it before 'newVm:begin'. */
        customize: z.boolean(),
        /** The UUID shown in the summary's XML, so what was shown is what is defined. */
        uuid: z.uuid(),
      })
      .strict(),
  ),
  /** Starts a VM created with `customize` (the "Begin installation" button). */
  'newVm:begin': channel<void>()(z.object({ connectionId: z.uuid(), uuid: z.uuid() }).strict()),
  /** Cancels a customized, never-started VM: undefines it and deletes what the wizard created. */
  'newVm:abandon': channel<void>()(z.object({ connectionId: z.uuid(), uuid: z.uuid() }).strict()),
} as const;
