import { z } from 'zod';

/**
 * New storage pools, one form per libvirt pool type, with the parameters and defaults of
 * the guides. Validated here so a malformed definition never reaches libvirt; the XML is
 * built here too, so a form's preview shows exactly what the main process defines.
 */

const poolNameSchema = z
  .string()
  .min(1, 'A name is required')
  .max(200)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, {
    message: 'A name may use letters, digits and _ . + - only, and must not start with . or -',
  });

const absolutePath = z
  .string()
  .regex(/^\/[^\0]*$/, { message: 'An absolute path is required' })
  .max(4096)
  .refine((p) => !p.split('/').includes('..'), { message: "The path must not contain '..'" });

const devicePath = absolutePath.refine((p) => p.startsWith('/dev/'), {
  message: 'A device path like /dev/sdb is required',
});

const hostSchema = z
  .string()
  .min(1, 'A host name or address is required')
  .max(253)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.:-]*[A-Za-z0-9])?$|^\[[0-9a-fA-F:]+\]$/, {
    message: 'A host name or IP address like nas.example.lan or 192.168.1.10',
  });

const iqnSchema = z
  .string()
  .regex(/^(iqn\.\d{4}-\d{2}\.[A-Za-z0-9.-]+(:[^\s<>&'"]+)?|eui\.[0-9A-Fa-f]{16})$/, {
    message: 'An iSCSI name like iqn.2024-01.com.example:storage',
  });

const wwnSchema = z.string().regex(/^(0x)?[0-9a-fA-F]{16}$/, {
  message: 'A world wide name of 16 hex digits',
});

const common = {
  connectionId: z.uuid(),
  name: poolNameSchema,
  /** Start after defining (building what needs no wiping, e.g. the target folder). */
  start: z.boolean().default(true),
  autostart: z.boolean().default(false),
};

/** fs, logical and disk pools are built by writing to the device: its data is lost. */
const wiping = {
  build: z.boolean().default(false),
  /** The user saw the warning that building wipes the device. */
  wipeConfirmed: z.boolean().default(false),
};

export const poolFsFormats = ['auto', 'ext4', 'ext3', 'ext2', 'xfs', 'btrfs', 'vfat'] as const;
export const poolNetfsFormats = ['auto', 'nfs', 'glusterfs', 'cifs'] as const;
export const poolDiskFormats = ['gpt', 'dos', 'mac', 'bsd', 'pc98', 'sun', 'lvm2'] as const;

const dirPool = z.object({ ...common, type: z.literal('dir'), targetPath: absolutePath }).strict();
const fsPool = z
  .object({
    ...common,
    ...wiping,
    type: z.literal('fs'),
    sourceDevice: devicePath,
    format: z.enum(poolFsFormats).default('auto'),
    targetPath: absolutePath,
  })
  .strict();
const netfsPool = z
  .object({
    ...common,
    type: z.literal('netfs'),
    host: hostSchema,
    sourcePath: absolutePath,
    format: z.enum(poolNetfsFormats).default('auto'),
    targetPath: absolutePath,
  })
  .strict();
const logicalPool = z
  .object({
    ...common,
    ...wiping,
    type: z.literal('logical'),
    /** The volume group; the pool's name when left out. */
    vgName: poolNameSchema.optional(),
    /** Physical volumes, needed only to build (create) the group. */
    devices: z.array(devicePath).max(32).default([]),
  })
  .strict();
const diskPool = z
  .object({
    ...common,
    ...wiping,
    type: z.literal('disk'),
    sourceDevice: devicePath,
    format: z.enum(poolDiskFormats).default('gpt'),
    targetPath: absolutePath.default('/dev'),
  })
  .strict();
const iscsiPool = z
  .object({
    ...common,
    type: z.literal('iscsi'),
    host: hostSchema,
    port: z.number().int().min(1).max(65535).default(3260),
    target: iqnSchema,
    initiator: iqnSchema.optional(),
    /** CHAP: the password goes into a libvirt secret, never into the pool's XML. */
    chap: z
      .object({
        username: z
          .string()
          .min(1)
          .max(255)
          .regex(/^[^\s<>&'"]+$/, {
            message: 'A user name without spaces or quotes',
          }),
        password: z.string().min(1, 'A CHAP password is required').max(255),
      })
      .strict()
      .optional(),
    targetPath: absolutePath.default('/dev/disk/by-path'),
  })
  .strict();
const scsiPool = z
  .object({
    ...common,
    type: z.literal('scsi'),
    adapter: z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('scsi_host'),
          name: z.string().regex(/^(scsi_)?host\d+$/, { message: 'An adapter like host0' }),
        })
        .strict(),
      z
        .object({
          /** A vHBA created on a Fibre Channel HBA (NPIV). */
          kind: z.literal('fc_host'),
          parent: z
            .string()
            .regex(/^(scsi_)?host\d+$/, { message: 'A parent HBA like host5' })
            .optional(),
          wwnn: wwnSchema,
          wwpn: wwnSchema,
        })
        .strict(),
    ]),
    targetPath: absolutePath.default('/dev/disk/by-path'),
  })
  .strict();

export const poolDefineSchema = z
  .discriminatedUnion('type', [
    dirPool,
    fsPool,
    netfsPool,
    logicalPool,
    diskPool,
    iscsiPool,
    scsiPool,
  ])
  .superRefine((p, ctx) => {
    if ('build' in p && p.build && !p.wipeConfirmed) {
      ctx.addIssue({
        code: 'custom',
        message: 'Building this pool overwrites the device and its data is lost: confirm it first',
        path: ['wipeConfirmed'],
      });
    }
    if (p.type === 'logical' && p.build && p.devices.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'Creating a volume group needs at least one device',
        path: ['devices'],
      });
    }
  });
export type PoolDefineInput = z.input<typeof poolDefineSchema>;
export type PoolDefinition = z.output<typeof poolDefineSchema>;
export type PoolDefineType = PoolDefinition['type'];
export const poolDefineTypes: readonly PoolDefineType[] = [
  'dir',
  'fs',
  'netfs',
  'logical',
  'disk',
  'iscsi',
  'scsi',
];

const x = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

/** The usage name of the libvirt secret holding an iSCSI pool's CHAP password. */
export function chapSecretUsage(pool: string): string {
  return `virtdeck-chap-${pool}`;
}

function sourceLines(p: PoolDefinition): string[] {
  switch (p.type) {
    case 'dir':
      return [];
    case 'fs':
      return [`<device path='${x(p.sourceDevice)}'/>`, `<format type='${p.format}'/>`];
    case 'netfs':
      return [
        `<host name='${x(p.host)}'/>`,
        `<dir path='${x(p.sourcePath)}'/>`,
        `<format type='${p.format}'/>`,
      ];
    case 'logical':
      return [
        `<name>${x(p.vgName ?? p.name)}</name>`,
        ...p.devices.map((d) => `<device path='${x(d)}'/>`),
        `<format type='lvm2'/>`,
      ];
    case 'disk':
      return [`<device path='${x(p.sourceDevice)}'/>`, `<format type='${p.format}'/>`];
    case 'iscsi':
      return [
        `<host name='${x(p.host)}' port='${p.port}'/>`,
        `<device path='${x(p.target)}'/>`,
        ...(p.initiator
          ? [`<initiator>`, `  <iqn name='${x(p.initiator)}'/>`, `</initiator>`]
          : []),
        ...(p.chap
          ? [
              `<auth type='chap' username='${x(p.chap.username)}'>`,
              `  <secret usage='${x(chapSecretUsage(p.name))}'/>`,
              `</auth>`,
            ]
          : []),
      ];
    case 'scsi': {
      const a = p.adapter;
      return [
        a.kind === 'scsi_host'
          ? `<adapter type='scsi_host' name='${x(a.name)}'/>`
          : `<adapter type='fc_host'${a.parent ? ` parent='${x(a.parent)}'` : ''} wwnn='${a.wwnn.replace(/^0x/, '')}' wwpn='${a.wwpn.replace(/^0x/, '')}'/>`,
      ];
    }
  }
}

function targetOf(p: PoolDefinition): string {
  return p.type === 'logical' ? `/dev/${p.vgName ?? p.name}` : p.targetPath;
}

/** The pool's libvirt XML (parsed input: defaults applied). */
export function poolDefinitionXml(p: PoolDefinition): string {
  const source = sourceLines(p);
  return [
    `<pool type='${p.type}'>`,
    `  <name>${x(p.name)}</name>`,
    ...(source.length > 0 ? ['  <source>', ...source.map((l) => `    ${l}`), '  </source>'] : []),
    '  <target>',
    `    <path>${x(targetOf(p))}</path>`,
    '  </target>',
    '</pool>',
  ].join('\n');
}
