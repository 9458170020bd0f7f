import type { NewVmSpec } from '../../../shared/contract/new-vm';
import { sizeToBytes } from '../../../shared/contract/storage';
import type { NewVmFacts } from '../gather-new-vm-facts';
import { formatBytes } from './format-bytes';
import type { ProblemList } from './problem-list';

/**
 * The checks that need only what was already read from the host: architecture, limits of
 * the host and the OS, pool space, firmware and TPM support.
 */
export function checkSpecFacts(spec: NewVmSpec, facts: NewVmFacts, out: ProblemList): void {
  const { host, os } = facts;
  const arch = host.arches.find((a) => a.arch === spec.arch);
  if (!arch) {
    out.error(
      'host',
      'arch',
      `This host cannot run ${spec.arch} guests (it offers ${host.arches.map((a) => a.arch).join(', ') || 'none'})`,
    );
  } else if (
    spec.machine &&
    !arch.machines.some((m) => m.name === spec.machine || m.canonical === spec.machine)
  ) {
    out.error('host', 'machine', `This host has no machine type ${spec.machine} for ${spec.arch}`);
  }

  if (facts.unknownOs)
    out.warning(
      'os',
      'osId',
      `The OS ${spec.osId ?? ''} is not in the OS list; no OS-specific defaults apply`,
    );

  // Resources: the host's and the OS's hard limits are errors; osinfo's advice warnings.
  if (spec.memoryBytes > host.hostMemoryBytes) {
    out.error(
      'resources',
      'memoryBytes',
      `The host has only ${formatBytes(host.hostMemoryBytes)} of memory`,
    );
  }
  if (os?.maximum.memoryBytes && spec.memoryBytes > os.maximum.memoryBytes) {
    out.error(
      'resources',
      'memoryBytes',
      `${os.name} supports at most ${formatBytes(os.maximum.memoryBytes)} of memory`,
    );
  }
  if (os?.minimum.memoryBytes && spec.memoryBytes < os.minimum.memoryBytes) {
    out.warning(
      'resources',
      'memoryBytes',
      `${os.name} needs at least ${formatBytes(os.minimum.memoryBytes)} of memory`,
    );
  } else if (os?.recommended.memoryBytes && spec.memoryBytes < os.recommended.memoryBytes) {
    out.warning(
      'resources',
      'memoryBytes',
      `${formatBytes(os.recommended.memoryBytes)} of memory is recommended for ${os.name}`,
    );
  }
  if (spec.vcpus > host.hostCpus) {
    out.error(
      'resources',
      'vcpus',
      `The host has only ${host.hostCpus} CPUs; more vCPUs than that only slow the guest down`,
    );
  }
  if (host.maxVcpus !== null && spec.vcpus > host.maxVcpus) {
    out.error('resources', 'vcpus', `This machine type allows at most ${host.maxVcpus} vCPUs`);
  }
  if (os?.maximum.vcpus && spec.vcpus > os.maximum.vcpus) {
    out.error('resources', 'vcpus', `${os.name} supports at most ${os.maximum.vcpus} CPUs`);
  }
  if (os?.minimum.vcpus && spec.vcpus < os.minimum.vcpus) {
    out.warning('resources', 'vcpus', `${os.name} needs at least ${os.minimum.vcpus} CPUs`);
  }

  checkStorage(spec, facts, out);
  checkFirmware(spec, facts, out);
}

function checkStorage(spec: NewVmSpec, facts: NewVmFacts, out: ProblemList): void {
  const storage = spec.storage;
  const { os } = facts;
  if (spec.method.kind === 'cloud' && storage.kind !== 'new') {
    out.error('storage', 'storage', 'A cloud image needs a new volume for its copy or overlay');
  }
  if (storage.kind !== 'new' || spec.method.kind === 'import') return;
  const pool = facts.host.pools.find((p) => p.name === storage.pool);
  const bytes = sizeToBytes(storage.size);
  if (!pool) {
    out.error('storage', 'storage.pool', `There is no pool ${storage.pool}`);
    return;
  }
  if (!pool.canCreateVolumes) {
    out.error(
      'storage',
      'storage.pool',
      pool.cannotCreateReason ?? `Pool ${pool.name} cannot hold new volumes`,
    );
  } else if (pool.state !== 'running') {
    out.error('storage', 'storage.pool', `Pool ${pool.name} is not running; start it first`);
  } else if (bytes > pool.available) {
    out.error(
      'storage',
      'storage.size',
      `The disk (${formatBytes(bytes)}) is larger than the ${formatBytes(pool.available)} free in ${pool.name}`,
    );
  }
  if (os?.minimum.diskBytes && bytes < os.minimum.diskBytes) {
    out.warning(
      'storage',
      'storage.size',
      `${os.name} needs at least ${formatBytes(os.minimum.diskBytes)} of disk`,
    );
  }
  const cloudBase = facts.files.method?.resolved?.capacityBytes;
  if (spec.method.kind === 'cloud' && cloudBase && bytes < cloudBase) {
    out.error(
      'storage',
      'storage.size',
      `The disk must be at least as large as the cloud image (${formatBytes(cloudBase)})`,
    );
  }
}

function checkFirmware(spec: NewVmSpec, facts: NewVmFacts, out: ProblemList): void {
  const { host, os } = facts;
  const fw = host.firmware;
  if (spec.firmware === 'efi' && !fw.efi) {
    out.error(
      'finish',
      'firmware',
      'This host has no UEFI firmware for this machine type (install OVMF)',
    );
  }
  if (spec.firmware === 'bios' && !fw.bios) {
    out.error('finish', 'firmware', 'This host offers no BIOS firmware for this architecture');
  }
  if (spec.secureBoot) {
    if (spec.firmware !== 'efi')
      out.error('finish', 'secureBoot', 'Secure Boot needs UEFI firmware');
    else if (!fw.secureBoot)
      out.error('finish', 'secureBoot', 'This host has no UEFI firmware with Secure Boot');
    if (host.machine !== null && !/q35/.test(host.machine)) {
      out.error('finish', 'secureBoot', 'Secure Boot needs the q35 machine type (SMM)');
    }
  }
  if (spec.tpm && !host.tpm.emulator) {
    out.error('finish', 'tpm', 'This host cannot emulate a TPM (install swtpm)');
  } else if (spec.tpm && host.tpm.versions.length > 0 && !host.tpm.versions.includes('2.0')) {
    out.error(
      'finish',
      'tpm',
      `This host emulates only TPM ${host.tpm.versions.join(', ')}, not 2.0`,
    );
  }
  if (os?.efi === 'required' && spec.firmware !== 'efi') {
    out.error('finish', 'firmware', `${os.name} needs UEFI firmware`);
  }
  if (os?.efi === 'unsupported' && spec.firmware === 'efi') {
    out.warning('finish', 'firmware', `${os.name} does not support UEFI`);
  }
  if (os?.secureBoot && !spec.secureBoot)
    out.warning('finish', 'secureBoot', `${os.name} expects Secure Boot`);
  if (os?.tpm && !spec.tpm) out.warning('finish', 'tpm', `${os.name} expects a TPM 2.0`);
}
