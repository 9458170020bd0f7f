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
  virDomainJobType,
  virDomainNostateReason,
  virDomainPMSuspendedReason,
  virDomainPausedReason,
  virDomainRunningReason,
  virDomainShutdownReason,
  virDomainShutoffReason,
  virDomainState,
} from '../protocol/constants.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import { domainRefToRemote, type DomainRef } from './domain-ref';
import { enumName, type EnumName } from './enum-name';

export type DomainStateName = EnumName<typeof virDomainState, 'VIR_DOMAIN_'> | 'unknown';

export interface DomainInfo {
  /** virDomainState */
  state: number;
  stateName: DomainStateName;
  maxMemKiB: bigint;
  memoryKiB: bigint;
  nrVirtCpu: number;
  cpuTimeNs: bigint;
}

export function domainStateName(state: number): DomainStateName {
  return enumName(virDomainState, 'VIR_DOMAIN_', state);
}

export async function domainGetInfo(c: LibvirtClient, dom: DomainRef): Promise<DomainInfo> {
  const info = await c.remote.domainGetInfo({ dom: domainRefToRemote(dom) });
  return {
    state: info.state,
    stateName: domainStateName(info.state),
    maxMemKiB: info.maxMem,
    memoryKiB: info.memory,
    nrVirtCpu: info.nrVirtCpu,
    cpuTimeNs: info.cpuTime,
  };
}

// Each state has its own reason enum (libvirt-domain.h pairs them by name).
const REASONS: ReadonlyMap<number, readonly [Readonly<Record<string, number>>, string]> = new Map([
  [VIR_DOMAIN_NOSTATE, [virDomainNostateReason, 'VIR_DOMAIN_NOSTATE_']],
  [VIR_DOMAIN_RUNNING, [virDomainRunningReason, 'VIR_DOMAIN_RUNNING_']],
  [VIR_DOMAIN_BLOCKED, [virDomainBlockedReason, 'VIR_DOMAIN_BLOCKED_']],
  [VIR_DOMAIN_PAUSED, [virDomainPausedReason, 'VIR_DOMAIN_PAUSED_']],
  [VIR_DOMAIN_SHUTDOWN, [virDomainShutdownReason, 'VIR_DOMAIN_SHUTDOWN_']],
  [VIR_DOMAIN_SHUTOFF, [virDomainShutoffReason, 'VIR_DOMAIN_SHUTOFF_']],
  [VIR_DOMAIN_CRASHED, [virDomainCrashedReason, 'VIR_DOMAIN_CRASHED_']],
  [VIR_DOMAIN_PMSUSPENDED, [virDomainPMSuspendedReason, 'VIR_DOMAIN_PMSUSPENDED_']],
]);

export interface DomainState {
  state: number;
  stateName: DomainStateName;
  /** The per-state reason enum (virDomainRunningReason, virDomainShutoffReason, …). */
  reason: number;
  reasonName: string;
}

export async function domainGetState(c: LibvirtClient, dom: DomainRef): Promise<DomainState> {
  const { state, reason } = await c.remote.domainGetState({
    dom: domainRefToRemote(dom),
    flags: 0,
  });
  const table = REASONS.get(state);
  return {
    state,
    stateName: domainStateName(state),
    reason,
    reasonName: table ? enumName(table[0], table[1], reason) : 'unknown',
  };
}

export interface DomainJobInfo {
  /** virDomainJobType */
  type: number;
  typeName: EnumName<typeof virDomainJobType, 'VIR_DOMAIN_JOB_'> | 'unknown';
  timeElapsedMs: bigint;
  timeRemainingMs: bigint;
  dataTotal: bigint;
  dataProcessed: bigint;
  dataRemaining: bigint;
  memTotal: bigint;
  memProcessed: bigint;
  memRemaining: bigint;
  fileTotal: bigint;
  fileProcessed: bigint;
  fileRemaining: bigint;
}

/** DOMAIN_GET_JOB_INFO: progress of the running job (type 'none' when there is none). */
export async function domainGetJobInfo(c: LibvirtClient, dom: DomainRef): Promise<DomainJobInfo> {
  const j = await c.remote.domainGetJobInfo({ dom: domainRefToRemote(dom) });
  return {
    type: j.type,
    typeName: enumName(virDomainJobType, 'VIR_DOMAIN_JOB_', j.type),
    timeElapsedMs: j.timeElapsed,
    timeRemainingMs: j.timeRemaining,
    dataTotal: j.dataTotal,
    dataProcessed: j.dataProcessed,
    dataRemaining: j.dataRemaining,
    memTotal: j.memTotal,
    memProcessed: j.memProcessed,
    memRemaining: j.memRemaining,
    fileTotal: j.fileTotal,
    fileProcessed: j.fileProcessed,
    fileRemaining: j.fileRemaining,
  };
}

export async function domainAbortJob(c: LibvirtClient, dom: DomainRef): Promise<void> {
  await c.remote.domainAbortJob({ dom: domainRefToRemote(dom) });
}
