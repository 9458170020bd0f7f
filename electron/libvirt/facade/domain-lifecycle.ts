import {
  VIR_DOMAIN_DESTROY_GRACEFUL,
  VIR_DOMAIN_SAVE_BYPASS_CACHE,
  VIR_DOMAIN_SAVE_PAUSED,
  VIR_DOMAIN_SAVE_RUNNING,
  VIR_DOMAIN_START_AUTODESTROY,
  VIR_DOMAIN_START_BYPASS_CACHE,
  VIR_DOMAIN_START_FORCE_BOOT,
  VIR_DOMAIN_START_PAUSED,
  VIR_DOMAIN_START_RESET_NVRAM,
  virDomainRebootFlagValues,
  virDomainShutdownFlagValues,
  virKeycodeSet,
} from '../protocol/constants.gen';
import { REMOTE_DOMAIN_SEND_KEY_MAX } from '../protocol/remote.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import { domainRefFromRemote, domainRefToRemote, type DomainRef } from './domain-ref';
import { enumFlags, enumValue, type EnumName } from './enum-name';
import { flagBits } from './flag-bits';

export interface DomainStartOptions {
  paused?: boolean;
  /** Destroy the domain when this connection closes. */
  autodestroy?: boolean;
  bypassCache?: boolean;
  /** Boot fresh, discarding a managed-save image. */
  forceBoot?: boolean;
  resetNvram?: boolean;
}

/** DOMAIN_CREATE_WITH_FLAGS; returns the ref with the new domain ID. */
export async function domainStart(
  c: LibvirtClient,
  dom: DomainRef,
  options: DomainStartOptions = {},
): Promise<DomainRef> {
  const flags = flagBits(
    [options.paused, VIR_DOMAIN_START_PAUSED],
    [options.autodestroy, VIR_DOMAIN_START_AUTODESTROY],
    [options.bypassCache, VIR_DOMAIN_START_BYPASS_CACHE],
    [options.forceBoot, VIR_DOMAIN_START_FORCE_BOOT],
    [options.resetNvram, VIR_DOMAIN_START_RESET_NVRAM],
  );
  const ret = await c.remote.domainCreateWithFlags({ dom: domainRefToRemote(dom), flags });
  return domainRefFromRemote(ret.dom);
}

export type DomainShutdownMode = EnumName<
  typeof virDomainShutdownFlagValues,
  'VIR_DOMAIN_SHUTDOWN_'
>;
export type DomainRebootMode = EnumName<typeof virDomainRebootFlagValues, 'VIR_DOMAIN_REBOOT_'>;

/** Asks the guest to power off; `modes` picks the methods (default: the driver's choice). */
export async function domainShutdown(
  c: LibvirtClient,
  dom: DomainRef,
  { modes = [] }: { modes?: readonly DomainShutdownMode[] } = {},
): Promise<void> {
  const flags = enumFlags(virDomainShutdownFlagValues, 'VIR_DOMAIN_SHUTDOWN_', modes);
  await c.remote.domainShutdownFlags({ dom: domainRefToRemote(dom), flags });
}

export async function domainReboot(
  c: LibvirtClient,
  dom: DomainRef,
  { modes = [] }: { modes?: readonly DomainRebootMode[] } = {},
): Promise<void> {
  const flags = enumFlags(virDomainRebootFlagValues, 'VIR_DOMAIN_REBOOT_', modes);
  await c.remote.domainReboot({ dom: domainRefToRemote(dom), flags });
}

/** Hard power-off; `graceful` only sends SIGTERM to the hypervisor (no SIGKILL). */
export async function domainDestroy(
  c: LibvirtClient,
  dom: DomainRef,
  { graceful }: { graceful?: boolean } = {},
): Promise<void> {
  const flags = flagBits([graceful, VIR_DOMAIN_DESTROY_GRACEFUL]);
  await c.remote.domainDestroyFlags({ dom: domainRefToRemote(dom), flags });
}

/** Hard reset, like pressing the reset button. */
export async function domainReset(c: LibvirtClient, dom: DomainRef): Promise<void> {
  await c.remote.domainReset({ dom: domainRefToRemote(dom), flags: 0 });
}

export async function domainSuspend(c: LibvirtClient, dom: DomainRef): Promise<void> {
  await c.remote.domainSuspend({ dom: domainRefToRemote(dom) });
}

export async function domainResume(c: LibvirtClient, dom: DomainRef): Promise<void> {
  await c.remote.domainResume({ dom: domainRefToRemote(dom) });
}

export interface SaveOptions {
  bypassCache?: boolean;
  /** State to restore into, overriding what the image says. */
  running?: boolean;
  paused?: boolean;
}

function saveFlags(options: SaveOptions): number {
  if (options.running && options.paused)
    throw new TypeError('running and paused exclude each other');
  return flagBits(
    [options.bypassCache, VIR_DOMAIN_SAVE_BYPASS_CACHE],
    [options.running, VIR_DOMAIN_SAVE_RUNNING],
    [options.paused, VIR_DOMAIN_SAVE_PAUSED],
  );
}

/** Saves RAM to the daemon's managed image and stops; the next start resumes from it. */
export async function domainManagedSave(
  c: LibvirtClient,
  dom: DomainRef,
  options: SaveOptions = {},
): Promise<void> {
  await c.remote.domainManagedSave({ dom: domainRefToRemote(dom), flags: saveFlags(options) });
}

export async function domainHasManagedSave(c: LibvirtClient, dom: DomainRef): Promise<boolean> {
  const { result } = await c.remote.domainHasManagedSaveImage({
    dom: domainRefToRemote(dom),
    flags: 0,
  });
  return result !== 0;
}

export async function domainManagedSaveRemove(c: LibvirtClient, dom: DomainRef): Promise<void> {
  await c.remote.domainManagedSaveRemove({ dom: domainRefToRemote(dom), flags: 0 });
}

function requirePath(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError(`an absolute path on the host is required, got ${JSON.stringify(path)}`);
  }
  return path;
}

/** Saves RAM to `path` on the daemon's host and stops the domain. */
export async function domainSave(
  c: LibvirtClient,
  dom: DomainRef,
  path: string,
  options: SaveOptions & { xml?: string } = {},
): Promise<void> {
  await c.remote.domainSaveFlags({
    dom: domainRefToRemote(dom),
    to: requirePath(path),
    dxml: options.xml ?? null,
    flags: saveFlags(options),
  });
}

/** Starts a domain from a file domainSave wrote. */
export async function domainRestore(
  c: LibvirtClient,
  path: string,
  options: SaveOptions & { xml?: string } = {},
): Promise<void> {
  await c.remote.domainRestoreFlags({
    from: requirePath(path),
    dxml: options.xml ?? null,
    flags: saveFlags(options),
  });
}

export async function domainInjectNmi(c: LibvirtClient, dom: DomainRef): Promise<void> {
  await c.remote.domainInjectNmi({ dom: domainRefToRemote(dom), flags: 0 });
}

export type KeycodeSet = EnumName<typeof virKeycodeSet, 'VIR_KEYCODE_SET_'>;

export interface SendKeyOptions {
  /** virKeycodeSet value or name ('linux', 'xt', 'qnum', …). */
  codeset: number | KeycodeSet;
  /** How long the keys stay pressed (ms); 0 = the hypervisor's default. */
  holdtime: number;
  keycodes: readonly number[];
}

/** Presses the keys together, then releases them (e.g. Ctrl+Alt+Del). */
export async function domainSendKey(
  c: LibvirtClient,
  dom: DomainRef,
  { codeset, holdtime, keycodes }: SendKeyOptions,
): Promise<void> {
  const set =
    typeof codeset === 'number' ? codeset : enumValue(virKeycodeSet, 'VIR_KEYCODE_SET_', codeset);
  if (keycodes.length === 0 || keycodes.length > REMOTE_DOMAIN_SEND_KEY_MAX) {
    throw new TypeError(`send 1–${REMOTE_DOMAIN_SEND_KEY_MAX} keycodes, got ${keycodes.length}`);
  }
  if (!keycodes.every((k) => Number.isInteger(k) && k >= 0 && k <= 0xffffffff)) {
    throw new TypeError('keycodes must be unsigned integers');
  }
  if (!Number.isInteger(holdtime) || holdtime < 0) throw new TypeError('holdtime must be ≥ 0 ms');
  await c.remote.domainSendKey({
    dom: domainRefToRemote(dom),
    codeset: set,
    holdtime,
    keycodes: [...keycodes],
    flags: 0,
  });
}
