import {
  VIR_DOMAIN_AFFECT_CONFIG,
  VIR_DOMAIN_AFFECT_LIVE,
  VIR_DOMAIN_DEVICE_MODIFY_FORCE,
  VIR_DOMAIN_MEM_CONFIG,
  VIR_DOMAIN_MEM_LIVE,
  VIR_DOMAIN_MEM_MAXIMUM,
  VIR_DOMAIN_VCPU_CONFIG,
  VIR_DOMAIN_VCPU_GUEST,
  VIR_DOMAIN_VCPU_LIVE,
  VIR_DOMAIN_VCPU_MAXIMUM,
} from '../protocol/constants.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import { domainRefToRemote, type DomainRef } from './domain-ref';
import { flagBits } from './flag-bits';

/** Which definition a change applies to; neither = the one of the current state. */
export interface AffectOptions {
  live?: boolean;
  config?: boolean;
}

export interface SetVcpusOptions extends AffectOptions {
  /** Change the maximum instead of the current count (config only). */
  maximum?: boolean;
  /** Through the guest agent (online/offline inside the guest). */
  guest?: boolean;
}

export async function domainSetVcpus(
  c: LibvirtClient,
  dom: DomainRef,
  count: number,
  options: SetVcpusOptions = {},
): Promise<void> {
  if (!Number.isInteger(count) || count < 1 || count > 0xffffffff) {
    throw new TypeError(`vCPU count must be a positive integer, got ${count}`);
  }
  const flags = flagBits(
    [options.live, VIR_DOMAIN_VCPU_LIVE],
    [options.config, VIR_DOMAIN_VCPU_CONFIG],
    [options.maximum, VIR_DOMAIN_VCPU_MAXIMUM],
    [options.guest, VIR_DOMAIN_VCPU_GUEST],
  );
  await c.remote.domainSetVcpusFlags({ dom: domainRefToRemote(dom), nvcpus: count, flags });
}

/** Balloon target (or, with `maximum`, the maximum) in KiB. */
export async function domainSetMemory(
  c: LibvirtClient,
  dom: DomainRef,
  kib: bigint | number,
  options: AffectOptions & { maximum?: boolean } = {},
): Promise<void> {
  const memory = typeof kib === 'bigint' ? kib : Number.isInteger(kib) ? BigInt(kib) : -1n;
  if (memory <= 0n || memory >= 2n ** 64n) {
    throw new TypeError(`memory must be a positive number of KiB, got ${String(kib)}`);
  }
  const flags = flagBits(
    [options.live, VIR_DOMAIN_MEM_LIVE],
    [options.config, VIR_DOMAIN_MEM_CONFIG],
    [options.maximum, VIR_DOMAIN_MEM_MAXIMUM],
  );
  await c.remote.domainSetMemoryFlags({ dom: domainRefToRemote(dom), memory, flags });
}

function deviceArgs(dom: DomainRef, xml: string, flags: number) {
  if (typeof xml !== 'string' || xml.trim() === '')
    throw new TypeError('device XML must not be empty');
  return { dom: domainRefToRemote(dom), xml, flags };
}

function affect(options: AffectOptions): number {
  return flagBits(
    [options.live, VIR_DOMAIN_AFFECT_LIVE],
    [options.config, VIR_DOMAIN_AFFECT_CONFIG],
  );
}

export async function domainAttachDevice(
  c: LibvirtClient,
  dom: DomainRef,
  xml: string,
  options: AffectOptions = {},
): Promise<void> {
  await c.remote.domainAttachDeviceFlags(deviceArgs(dom, xml, affect(options)));
}

/**
 * Detaches the device the XML describes. Live detach is asynchronous for most devices: the
 * call returns once the guest was asked; 'device-removed' / 'device-removal-failed' follow.
 */
export async function domainDetachDevice(
  c: LibvirtClient,
  dom: DomainRef,
  xml: string,
  options: AffectOptions = {},
): Promise<void> {
  await c.remote.domainDetachDeviceFlags(deviceArgs(dom, xml, affect(options)));
}

/** Changes a device in place (media change, link state…); `force` e.g. ejects a locked tray. */
export async function domainUpdateDevice(
  c: LibvirtClient,
  dom: DomainRef,
  xml: string,
  options: AffectOptions & { force?: boolean } = {},
): Promise<void> {
  const flags = (affect(options) | flagBits([options.force, VIR_DOMAIN_DEVICE_MODIFY_FORCE])) >>> 0;
  await c.remote.domainUpdateDeviceFlags(deviceArgs(dom, xml, flags));
}
