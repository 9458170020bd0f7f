import { VIR_DOMAIN_AFFECT_CONFIG, VIR_DOMAIN_AFFECT_LIVE } from '../protocol/constants.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import type { AffectOptions } from './domain-devices';
import { domainRefToRemote, type DomainRef } from './domain-ref';
import { flagBits } from './flag-bits';

/** libvirt's cpumap: bit n of byte n/8 is host CPU n. */
function cpumapOf(cpus: readonly number[]): Uint8Array {
  if (cpus.length === 0) throw new TypeError('A CPU pinning needs at least one host CPU');
  const map = new Uint8Array(Math.floor(Math.max(...cpus) / 8) + 1);
  for (const cpu of cpus) {
    if (!Number.isInteger(cpu) || cpu < 0) throw new TypeError(`Bad host CPU number ${cpu}`);
    map[cpu >> 3] = (map[cpu >> 3] ?? 0) | (1 << (cpu & 7));
  }
  return map;
}

/** Pins one vCPU to the given host CPUs (REMOTE_PROC_DOMAIN_PIN_VCPU_FLAGS). */
export async function domainPinVcpu(
  c: LibvirtClient,
  dom: DomainRef,
  vcpu: number,
  cpus: readonly number[],
  options: AffectOptions = {},
): Promise<void> {
  const flags = flagBits(
    [options.live, VIR_DOMAIN_AFFECT_LIVE],
    [options.config, VIR_DOMAIN_AFFECT_CONFIG],
  );
  await c.remote.domainPinVcpuFlags({
    dom: domainRefToRemote(dom),
    vcpu,
    cpumap: cpumapOf(cpus),
    flags,
  });
}

/** Pins the emulator threads to the given host CPUs (REMOTE_PROC_DOMAIN_PIN_EMULATOR). */
export async function domainPinEmulator(
  c: LibvirtClient,
  dom: DomainRef,
  cpus: readonly number[],
  options: AffectOptions = {},
): Promise<void> {
  const flags = flagBits(
    [options.live, VIR_DOMAIN_AFFECT_LIVE],
    [options.config, VIR_DOMAIN_AFFECT_CONFIG],
  );
  await c.remote.domainPinEmulator({ dom: domainRefToRemote(dom), cpumap: cpumapOf(cpus), flags });
}
