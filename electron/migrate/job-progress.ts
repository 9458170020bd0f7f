import type { MigrateProgress } from '../../shared/contract/migrate';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { domainRefToRemote, type DomainRef } from '../libvirt/facade/domain-ref';
import { typedParamsToRecord, type TypedParamRecord } from '../libvirt/facade/stats';
import {
  VIR_DOMAIN_JOB_DATA_PROCESSED,
  VIR_DOMAIN_JOB_DATA_REMAINING,
  VIR_DOMAIN_JOB_DATA_TOTAL,
  VIR_DOMAIN_JOB_DISK_BPS,
  VIR_DOMAIN_JOB_DISK_PROCESSED,
  VIR_DOMAIN_JOB_DISK_REMAINING,
  VIR_DOMAIN_JOB_DISK_TOTAL,
  VIR_DOMAIN_JOB_DOWNTIME,
  VIR_DOMAIN_JOB_MEMORY_BPS,
  VIR_DOMAIN_JOB_MEMORY_PROCESSED,
  VIR_DOMAIN_JOB_MEMORY_REMAINING,
  VIR_DOMAIN_JOB_MEMORY_TOTAL,
  VIR_DOMAIN_JOB_NONE,
  VIR_DOMAIN_JOB_STATS_COMPLETED,
  VIR_DOMAIN_JOB_TIME_ELAPSED,
} from '../libvirt/protocol/constants.gen';

/** The figures of a job, as far as libvirt gave them. */
export type JobFigures = Omit<
  MigrateProgress,
  'jobId' | 'connectionId' | 'uuid' | 'name' | 'destinationId' | 'phase' | 'error'
>;

export const NO_FIGURES: JobFigures = {
  elapsedMs: 0,
  dataTotal: null,
  dataProcessed: null,
  dataRemaining: null,
  memoryTotal: null,
  memoryProcessed: null,
  memoryRemaining: null,
  diskTotal: null,
  diskProcessed: null,
  diskRemaining: null,
  memoryBps: null,
  diskBps: null,
  downtimeMs: null,
};

function num(record: TypedParamRecord, field: string): number | null {
  const v = record[field];
  return typeof v === 'bigint' || typeof v === 'number' ? Number(v) : null;
}

export function jobFigures(record: TypedParamRecord, elapsedFallbackMs: number): JobFigures {
  return {
    elapsedMs: num(record, VIR_DOMAIN_JOB_TIME_ELAPSED) ?? elapsedFallbackMs,
    dataTotal: num(record, VIR_DOMAIN_JOB_DATA_TOTAL),
    dataProcessed: num(record, VIR_DOMAIN_JOB_DATA_PROCESSED),
    dataRemaining: num(record, VIR_DOMAIN_JOB_DATA_REMAINING),
    memoryTotal: num(record, VIR_DOMAIN_JOB_MEMORY_TOTAL),
    memoryProcessed: num(record, VIR_DOMAIN_JOB_MEMORY_PROCESSED),
    memoryRemaining: num(record, VIR_DOMAIN_JOB_MEMORY_REMAINING),
    diskTotal: num(record, VIR_DOMAIN_JOB_DISK_TOTAL),
    diskProcessed: num(record, VIR_DOMAIN_JOB_DISK_PROCESSED),
    diskRemaining: num(record, VIR_DOMAIN_JOB_DISK_REMAINING),
    memoryBps: num(record, VIR_DOMAIN_JOB_MEMORY_BPS),
    diskBps: num(record, VIR_DOMAIN_JOB_DISK_BPS),
    downtimeMs: num(record, VIR_DOMAIN_JOB_DOWNTIME),
  };
}

/**
 * The source's job statistics (virDomainGetJobStats); `completed` asks for the figures of
 * the job that just ended. null when there is no job (or no completed one kept).
 */
export async function readJobFigures(
  c: LibvirtClient,
  dom: DomainRef,
  elapsedFallbackMs: number,
  completed = false,
): Promise<JobFigures | null> {
  const { type, params } = await c.remote.domainGetJobStats({
    dom: domainRefToRemote(dom),
    flags: completed ? VIR_DOMAIN_JOB_STATS_COMPLETED : 0,
  });
  if (type === VIR_DOMAIN_JOB_NONE) return null;
  return jobFigures(typedParamsToRecord(params), elapsedFallbackMs);
}
