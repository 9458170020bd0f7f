import { VIR_DOMAIN_AFFECT_CONFIG, VIR_DOMAIN_AFFECT_LIVE } from '../protocol/constants.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import type { AffectOptions } from './domain-devices';
import { domainRefToRemote, type DomainRef } from './domain-ref';
import { flagBits } from './flag-bits';
import { typedParam } from './stats';

/**
 * Sets I/O limits of one disk (virDomainSetBlockIoTune). Fields are libvirt's typed-parameter
 * names (total_bytes_sec, read_iops_sec, …), all unsigned long long; 0 lifts a limit. Fields
 * left out keep their value.
 */
export async function domainSetBlockIoTune(
  c: LibvirtClient,
  dom: DomainRef,
  disk: string,
  limits: Readonly<Record<string, number>>,
  options: AffectOptions = {},
): Promise<void> {
  const params = Object.entries(limits).map(([field, value]) => typedParam(field, 'ullong', value));
  const flags = flagBits(
    [options.live, VIR_DOMAIN_AFFECT_LIVE],
    [options.config, VIR_DOMAIN_AFFECT_CONFIG],
  );
  await c.remote.domainSetBlockIoTune({ dom: domainRefToRemote(dom), disk, params, flags });
}
