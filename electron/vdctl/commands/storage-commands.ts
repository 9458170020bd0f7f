import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { LibvirtClient } from '../../libvirt/client/libvirt-client';
import { isLibvirtError } from '../../libvirt/errors';
import { poolList, poolLookup, type StoragePoolSummary } from '../../libvirt/facade/storage-pool';
import {
  volDownload,
  volList,
  volLookup,
  volUpload,
  type StorageVolRef,
} from '../../libvirt/facade/storage-volume';
import { volRefFromRemote } from '../../libvirt/facade/object-refs';
import {
  VIR_ERR_NO_STORAGE_VOL,
  VIR_STORAGE_POOL_BUILDING,
  VIR_STORAGE_POOL_INACTIVE,
} from '../../libvirt/protocol/constants.gen';
import type { CommandArgs } from '../command-args';
import { formatTable } from '../format/table-format';
import { compareNames, yesNo } from '../format/virsh-words';
import type { CommandContext, VdctlCommand } from '../vdctl-command';
import { describeFailure, UsageError } from '../vdctl-errors';

const isActive = (p: StoragePoolSummary) =>
  p.state !== VIR_STORAGE_POOL_INACTIVE && p.state !== VIR_STORAGE_POOL_BUILDING;

const poolListCommand: VdctlCommand = {
  name: 'pool-list',
  group: 'Storage',
  summary: 'list storage pools (active ones unless --all or --inactive)',
  synopsis: 'pool-list [--all | --inactive] [--name]',
  options: {
    all: { type: 'boolean', help: 'active and inactive pools' },
    inactive: { type: 'boolean', help: 'only inactive pools' },
    name: { type: 'boolean', help: 'print only the names' },
  },
  async run(ctx, args) {
    const c = await ctx.connect();
    const all = await describeFailure('Failed to list pools', () => poolList(c));
    const wanted = args.flag('all')
      ? all
      : all.filter((p) => isActive(p) === !args.flag('inactive'));
    wanted.sort((a, b) => compareNames(a.name, b.name));
    if (ctx.out.json) {
      ctx.out.document(
        wanted.map((p) => ({
          name: p.name,
          uuid: p.uuid,
          active: isActive(p),
          state: p.stateName,
          autostart: p.autostart,
          persistent: p.persistent,
          capacityBytes: p.capacity,
          allocationBytes: p.allocation,
          availableBytes: p.available,
        })),
      );
    } else if (args.flag('name')) {
      // virsh pads names to 20 columns here ("%-20s").
      ctx.out.text(wanted.map((p) => `${p.name.padEnd(20)}\n`).join(''));
    } else {
      const rows = wanted.map((p) => [
        p.name,
        isActive(p) ? 'active' : 'inactive',
        yesNo(p.autostart),
      ]);
      ctx.out.text(formatTable(['Name', 'State', 'Autostart'], rows, { header: !ctx.out.quiet }));
    }
  },
};

function lookupPool(c: LibvirtClient, name: string) {
  return describeFailure(`failed to get pool '${name}'`, () => poolLookup(c, name));
}

/**
 * A volume the way virsh finds one: by name in --pool (if given), then by key, then by path;
 * the last lookup's error is the one reported, as in virsh.
 */
async function lookupVolume(
  c: LibvirtClient,
  name: string,
  poolName: string | undefined,
): Promise<StorageVolRef> {
  const pool = poolName === undefined ? null : await lookupPool(c, poolName);
  const hint = pool ? '' : ', specifying --pool might help';
  return describeFailure(`failed to get vol '${name}'${hint}`, async () => {
    const tries: Array<() => Promise<StorageVolRef>> = [
      ...(pool ? [() => volLookup(c, pool, name)] : []),
      async () => volRefFromRemote((await c.remote.storageVolLookupByKey({ key: name })).vol),
      // Not the facade's volLookupByPath: it refuses relative paths itself, and virsh shows
      // the daemon's answer for this last try.
      async () => volRefFromRemote((await c.remote.storageVolLookupByPath({ path: name })).vol),
    ];
    let last: unknown;
    for (const attempt of tries) {
      try {
        return await attempt();
      } catch (error) {
        if (!isLibvirtError(error, VIR_ERR_NO_STORAGE_VOL)) throw error;
        last = error;
      }
    }
    throw last;
  });
}

const volListCommand: VdctlCommand = {
  name: 'vol-list',
  group: 'Storage',
  summary: 'list the volumes of a storage pool',
  synopsis: 'vol-list POOL',
  args: [{ name: 'pool', help: 'pool name or UUID', required: true }],
  async run(ctx, args) {
    const c = await ctx.connect();
    const pool = await lookupPool(c, args.required('pool'));
    const vols = await describeFailure('Failed to list storage volumes', () => volList(c, pool));
    vols.sort((a, b) => compareNames(a.name, b.name));
    if (ctx.out.json) {
      ctx.out.document(
        vols.map((v) => ({
          name: v.name,
          path: v.path,
          key: v.key,
          type: v.typeName,
          capacityBytes: v.capacity,
          allocationBytes: v.allocation,
        })),
      );
      return;
    }
    const rows = vols.map((v) => [v.name, v.path]);
    ctx.out.text(formatTable(['Name', 'Path'], rows, { header: !ctx.out.quiet }));
  },
};

/** `--offset`/`--length` in bytes (bigint: volumes exceed 2^53 bytes). */
function byteCount(args: CommandArgs, name: string): bigint | undefined {
  const text = args.string(name);
  if (text === undefined) return undefined;
  if (!/^\d{1,20}$/.test(text) || BigInt(text) > 2n ** 64n - 1n) {
    throw new UsageError(`--${name} needs a number of bytes, got '${text}'`, args.command);
  }
  return BigInt(text);
}

const TRANSFER_OPTIONS = {
  pool: { type: 'string', valueName: 'POOL', help: 'the pool the volume is in' },
  offset: { type: 'string', valueName: 'BYTES', help: 'start this far into the volume' },
  length: { type: 'string', valueName: 'BYTES', help: 'transfer at most this many bytes' },
} as const;

function transferReport(ctx: CommandContext, vol: StorageVolRef, file: string, bytes: number) {
  if (ctx.out.json) {
    ctx.out.document({ pool: vol.pool, volume: vol.name, key: vol.key, file, bytes });
  }
}

const volUploadCommand: VdctlCommand = {
  name: 'vol-upload',
  group: 'Storage',
  summary: 'write a local file into a storage volume',
  synopsis: 'vol-upload VOL FILE --pool POOL [--offset BYTES] [--length BYTES]',
  options: TRANSFER_OPTIONS,
  args: [
    { name: 'vol', help: 'volume name (or path)', required: true },
    { name: 'file', help: 'local file to read', required: true },
  ],
  async run(ctx, args) {
    const offset = byteCount(args, 'offset');
    const length = byteCount(args, 'length');
    const file = args.required('file');
    // Open the file before touching libvirt: a typo must not start a transfer.
    const source = createReadStream(file);
    await describeFailure(`cannot read ${file}`, () => once(source, 'ready'));
    try {
      const c = await ctx.connect();
      const vol = await lookupVolume(c, args.required('vol'), args.string('pool'));
      let bytes = 0;
      await describeFailure(`cannot upload to volume ${vol.name}`, () =>
        volUpload(c, vol, { source, offset, length, onProgress: (n) => (bytes = n) }),
      );
      transferReport(ctx, vol, file, bytes);
    } finally {
      source.destroy();
    }
  },
};

const volDownloadCommand: VdctlCommand = {
  name: 'vol-download',
  group: 'Storage',
  summary: 'copy a storage volume into a local file',
  synopsis: 'vol-download VOL FILE --pool POOL [--offset BYTES] [--length BYTES]',
  options: TRANSFER_OPTIONS,
  args: [
    { name: 'vol', help: 'volume name (or path)', required: true },
    { name: 'file', help: 'local file to write (created or truncated)', required: true },
  ],
  async run(ctx, args) {
    const offset = byteCount(args, 'offset');
    const length = byteCount(args, 'length');
    const file = args.required('file');
    const c = await ctx.connect();
    const vol = await lookupVolume(c, args.required('vol'), args.string('pool'));
    const created = !existsSync(file);
    const sink = createWriteStream(file, { mode: 0o666 });
    await describeFailure(`cannot create ${file}`, () => once(sink, 'ready'));
    try {
      let bytes = 0;
      await describeFailure(`cannot download from volume ${vol.name}`, () =>
        volDownload(c, vol, { sink, offset, length, onProgress: (n) => (bytes = n) }),
      );
      transferReport(ctx, vol, file, bytes);
    } catch (error) {
      // Like virsh: a file we created for a failed download is not left behind half-written.
      sink.destroy();
      if (created) await unlink(file).catch(() => {});
      throw error;
    }
  },
};

export const storageCommands: readonly VdctlCommand[] = [
  poolListCommand,
  volListCommand,
  volUploadCommand,
  volDownloadCommand,
];
