import type { z } from 'zod';
import type { ChannelDef } from './channel';
import { appChannels } from './app';
import { cloneChannels } from './clone';
import { connectionChannels } from './connections';
import { consoleChannels } from './consoles';
import { domainEditChannels } from './domain-edit';
import { hostDeviceChannels } from './host-devices';
import { migrateChannels } from './migrate';
import { networkChannels } from './networks';
import { newVmChannels } from './new-vm';
import { snapshotChannels } from './snapshots';
import { statsChannels } from './stats';
import { storageChannels, transferChannels } from './storage';
import { vmChannels } from './vms';
import { vmWindowChannels } from './vm-window';

/**
 * The one table of every request the renderer can make. The preload API, the web client,
 * handler registration and validation are all derived from it, so a channel name is written
 * once, here (through the per-area tables it spreads).
 */
export const contract = {
  ...appChannels,
  ...connectionChannels,
  ...vmChannels,
  ...statsChannels,
  ...consoleChannels,
  ...domainEditChannels,
  ...storageChannels,
  ...transferChannels,
  ...networkChannels,
  ...hostDeviceChannels,
  ...snapshotChannels,
  ...cloneChannels,
  ...migrateChannels,
  ...vmWindowChannels,
  ...newVmChannels,
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export type InputOf<C extends ChannelName> =
  Contract[C] extends ChannelDef<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<C extends ChannelName> =
  Contract[C] extends ChannelDef<infer I, unknown> ? z.output<I> : never;
export type OutputOf<C extends ChannelName> =
  Contract[C] extends ChannelDef<z.ZodType, infer O> ? O : never;

export const channelNames = Object.keys(contract) as ChannelName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
