import type { VmState } from '../../shared/contract/vms';
import { enumName } from '../libvirt/facade/enum-name';
import {
  VIR_DOMAIN_BLOCKED,
  VIR_DOMAIN_CRASHED,
  VIR_DOMAIN_NOSTATE,
  VIR_DOMAIN_PAUSED,
  VIR_DOMAIN_PMSUSPENDED,
  VIR_DOMAIN_RUNNING,
  VIR_DOMAIN_SHUTDOWN,
  VIR_DOMAIN_SHUTOFF,
  virDomainBlockedReason,
  virDomainCrashedReason,
  virDomainNostateReason,
  virDomainPMSuspendedReason,
  virDomainPausedReason,
  virDomainRunningReason,
  virDomainShutdownReason,
  virDomainShutoffReason,
} from '../libvirt/protocol/constants.gen';

type Table = Readonly<Record<string, number>>;

// Each libvirt state has its own reason enum (libvirt-domain.h pairs them by name).
const STATES: ReadonlyMap<number, { state: VmState; reasons: Table; prefix: string }> = new Map([
  [
    VIR_DOMAIN_NOSTATE,
    { state: 'nostate', reasons: virDomainNostateReason, prefix: 'VIR_DOMAIN_NOSTATE_' },
  ],
  [
    VIR_DOMAIN_RUNNING,
    { state: 'running', reasons: virDomainRunningReason, prefix: 'VIR_DOMAIN_RUNNING_' },
  ],
  [
    VIR_DOMAIN_BLOCKED,
    { state: 'blocked', reasons: virDomainBlockedReason, prefix: 'VIR_DOMAIN_BLOCKED_' },
  ],
  [
    VIR_DOMAIN_PAUSED,
    { state: 'paused', reasons: virDomainPausedReason, prefix: 'VIR_DOMAIN_PAUSED_' },
  ],
  [
    VIR_DOMAIN_SHUTDOWN,
    { state: 'shutdown', reasons: virDomainShutdownReason, prefix: 'VIR_DOMAIN_SHUTDOWN_' },
  ],
  [
    VIR_DOMAIN_SHUTOFF,
    { state: 'shutoff', reasons: virDomainShutoffReason, prefix: 'VIR_DOMAIN_SHUTOFF_' },
  ],
  [
    VIR_DOMAIN_CRASHED,
    { state: 'crashed', reasons: virDomainCrashedReason, prefix: 'VIR_DOMAIN_CRASHED_' },
  ],
  [
    VIR_DOMAIN_PMSUSPENDED,
    {
      state: 'pmsuspended',
      reasons: virDomainPMSuspendedReason,
      prefix: 'VIR_DOMAIN_PMSUSPENDED_',
    },
  ],
]);

/**
 * libvirt's state and reason numbers → the list's state and reason words. A shut-off VM
 * with a managed-save image shows as 'saved'.
 */
export function vmStateOf(
  state: number,
  reason: number,
  hasManagedSave: boolean,
): { state: VmState; stateReason: string } {
  const entry = STATES.get(state);
  if (!entry) return { state: 'nostate', stateReason: 'unknown' };
  const stateReason = enumName(entry.reasons, entry.prefix, reason);
  if (entry.state === 'shutoff' && hasManagedSave) return { state: 'saved', stateReason };
  return { state: entry.state, stateReason };
}

/** States in which the domain has a running hypervisor process. */
export function isActiveState(state: VmState): boolean {
  return state !== 'shutoff' && state !== 'saved' && state !== 'nostate';
}
