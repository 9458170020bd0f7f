import type { NewVmHostInfo, OsEntry } from '../../../../shared/contract';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** What the wizard fills in once the OS (or "generic") and the host are known. */
export interface OsDefaults {
  memoryMiB: number;
  vcpus: number;
  diskGiB: number;
  firmware: 'bios' | 'efi';
  secureBoot: boolean;
  tpm: boolean;
}

/** Generic guests: virt-manager's defaults for an OS it does not know. */
const GENERIC = { memoryBytes: 1024 * MiB, vcpus: 1, diskBytes: 20 * GiB };

/**
 * osinfo's recommendation (else its minimum, else generic), never more than the host has;
 * firmware as the OS needs it and the host offers it, else the user's preferred one.
 */
export function osDefaults(
  os: OsEntry | null,
  host: NewVmHostInfo,
  preferred: 'bios' | 'efi',
): OsDefaults {
  const memoryBytes = os?.recommended.memoryBytes ?? os?.minimum.memoryBytes ?? GENERIC.memoryBytes;
  const vcpus = os?.recommended.vcpus ?? os?.minimum.vcpus ?? GENERIC.vcpus;
  const diskBytes = os?.recommended.diskBytes ?? os?.minimum.diskBytes ?? GENERIC.diskBytes;
  const limits = resourceLimits(os, host);
  const firmware = firmwareFor(os, host, preferred);
  return {
    memoryMiB: Math.max(16, Math.floor(Math.min(memoryBytes, limits.memoryBytes) / MiB)),
    // A default beyond the host's own CPUs would only slow the guest down.
    vcpus: Math.max(1, Math.min(vcpus, limits.vcpus, host.hostCpus)),
    diskGiB: Math.max(1, Math.ceil(diskBytes / GiB)),
    firmware,
    secureBoot: firmware === 'efi' && host.firmware.secureBoot && (os?.secureBoot ?? false),
    tpm: host.tpm.emulator && (os?.tpm ?? false),
  };
}

function firmwareFor(
  os: OsEntry | null,
  host: NewVmHostInfo,
  preferred: 'bios' | 'efi',
): 'bios' | 'efi' {
  const offered = (f: 'bios' | 'efi'): boolean =>
    f === 'efi' ? host.firmware.efi : host.firmware.bios;
  let wanted = preferred;
  if (os?.efi === 'required' || os?.windows) wanted = 'efi';
  else if (os?.efi === 'unsupported') wanted = 'bios';
  if (offered(wanted)) return wanted;
  return wanted === 'efi' ? 'bios' : 'efi';
}

/** The most the host and the OS allow together (the resources step says which one limits). */
export function resourceLimits(
  os: OsEntry | null,
  host: NewVmHostInfo,
): { memoryBytes: number; vcpus: number; memoryBy: 'host' | 'os'; vcpusBy: 'host' | 'os' } {
  const osMemory = os?.maximum.memoryBytes ?? null;
  const hostVcpus = host.maxVcpus ?? host.hostCpus;
  const osVcpus = os?.maximum.vcpus ?? null;
  const memoryBy = osMemory !== null && osMemory < host.hostMemoryBytes ? 'os' : 'host';
  const vcpusBy = osVcpus !== null && osVcpus < hostVcpus ? 'os' : 'host';
  return {
    memoryBytes: memoryBy === 'os' ? (osMemory as number) : host.hostMemoryBytes,
    vcpus: vcpusBy === 'os' ? (osVcpus as number) : hostVcpus,
    memoryBy,
    vcpusBy,
  };
}
