import type { NewVmSpec } from '../../../shared/contract/new-vm';
import type { LibvirtClient } from '../../libvirt/client/libvirt-client';
import { isLibvirtError } from '../../libvirt/errors';
import { networkList } from '../../libvirt/facade/network';
import { poolLookup } from '../../libvirt/facade/storage-pool';
import { volLookup } from '../../libvirt/facade/storage-volume';
import { VIR_ERR_NO_DOMAIN, VIR_ERR_NO_STORAGE_VOL } from '../../libvirt/protocol/constants.gen';
import type { FileFact, NewVmFacts } from '../gather-new-vm-facts';
import { resolveInstallTree } from '../install-tree/resolve-install-tree';
import type { PlannedVolume } from '../new-vm-plan';
import type { ProblemList } from './problem-list';

/** How long the wizard waits for an install tree to answer before calling it unreachable. */
export const TREE_CHECK_TIMEOUT_MS = 10_000;

/** The checks that ask the host (or the network) again: names, files, networks, URLs. */
export async function checkOnHost(
  c: LibvirtClient,
  spec: NewVmSpec,
  facts: NewVmFacts,
  volumes: readonly PlannedVolume[],
  out: ProblemList,
): Promise<void> {
  const tasks: Promise<void>[] = [];
  const m = spec.method;
  if (out.wants('method')) {
    const field =
      m.kind === 'media' ? 'method.media' : m.kind === 'import' ? 'method.disk' : 'method.base';
    checkFile(facts.files.method, 'method', field, out);
    if (
      m.kind === 'cloud' &&
      m.mode === 'clone' &&
      facts.files.method?.resolved &&
      !facts.files.method.resolved.vol
    ) {
      out.error(
        'method',
        'method.base',
        'A copy needs the cloud image in a storage pool; use an overlay or add its folder as a pool',
      );
    }
    if (m.kind === 'tree') tasks.push(checkTree(spec, m.url, out));
    if (m.kind === 'tree' && m.autoinstallUrl) tasks.push(checkReachable(m.autoinstallUrl, out));
    if ((m.kind === 'cloud' || m.kind === 'tree') && facts.auxPool === null) {
      out.error(
        'method',
        'method',
        `No running storage pool can hold the ${m.kind === 'cloud' ? 'cloud-init seed image' : 'install kernel'}`,
      );
    }
  }
  if (out.wants('os')) checkFile(facts.files.driverIso, 'os', 'driverIso', out);
  if (out.wants('storage')) checkFile(facts.files.storage, 'storage', 'storage.disk', out);
  if (out.wants('finish')) {
    tasks.push(checkName(c, spec.name, out));
    tasks.push(checkNetwork(c, spec, facts, out));
  }
  for (const v of volumes) {
    const step = v.purpose === 'disk' ? 'storage' : 'finish';
    if (out.wants(step))
      tasks.push(checkVolumeFree(c, v, step === 'storage' ? 'storage.pool' : 'name', out));
  }
  await Promise.all(tasks);
}

function checkFile(
  fact: FileFact | null,
  step: 'method' | 'os' | 'storage',
  field: string,
  out: ProblemList,
): void {
  if (!fact) return;
  const shown =
    fact.file.kind === 'volume' ? `${fact.file.pool}/${fact.file.volume}` : fact.file.path;
  if (fact.error !== null) {
    out.failure(step, field, `${shown} was not found`, fact.error);
  } else if (fact.resolved === null) {
    // libvirt has no stat: only volumes of its pools are visible from here.
    out.warning(
      step,
      field,
      `${shown} is outside every storage pool, so it cannot be checked from here; make sure it exists on the host`,
    );
  }
}

async function checkName(c: LibvirtClient, name: string, out: ProblemList): Promise<void> {
  try {
    await c.remote.domainLookupByName({ name });
    out.error('finish', 'name', `A VM named ${name} already exists on this host`);
  } catch (err) {
    if (!isLibvirtError(err, VIR_ERR_NO_DOMAIN))
      out.failure('finish', 'name', 'Checking the name failed', err);
  }
}

async function checkVolumeFree(
  c: LibvirtClient,
  v: PlannedVolume,
  field: string,
  out: ProblemList,
): Promise<void> {
  const step = v.purpose === 'disk' ? 'storage' : 'finish';
  try {
    await volLookup(c, await poolLookup(c, v.pool), v.name);
    out.error(
      step,
      field,
      `Pool ${v.pool} already has a volume named ${v.name}; choose another VM name`,
    );
  } catch (err) {
    // A missing pool is reported by the storage checks already.
    if (!isLibvirtError(err, VIR_ERR_NO_STORAGE_VOL)) return;
  }
}

async function checkNetwork(
  c: LibvirtClient,
  spec: NewVmSpec,
  facts: NewVmFacts,
  out: ProblemList,
): Promise<void> {
  const net = spec.network;
  if (net?.type === 'user' && !facts.host.session) {
    // Allowed on system connections too; just not what the guides recommend there.
    out.warning(
      'finish',
      'network',
      'User-mode networking is slow and unreachable from outside; a virtual network is better on a system connection',
    );
  }
  if (net?.type !== 'network') return;
  const found = (await networkList(c)).find((n) => n.name === net.network);
  if (!found) {
    out.error(
      'finish',
      'network',
      net.network === 'default'
        ? 'The default network is missing on this host: define it (Networks) or pick another network'
        : `There is no network ${net.network} on this host`,
    );
  } else if (!found.active) {
    out.error('finish', 'network', `Network ${net.network} is not running; start it first`);
  }
}

async function checkTree(spec: NewVmSpec, url: string, out: ProblemList): Promise<void> {
  try {
    await resolveInstallTree(url, {
      arch: spec.arch,
      signal: AbortSignal.timeout(TREE_CHECK_TIMEOUT_MS),
    });
  } catch (err) {
    out.error(
      'method',
      'method.url',
      err instanceof Error ? err.message : `The install tree ${url} is unreachable`,
    );
  }
}

/** The kickstart/autoinstall file is fetched by the guest, not us: unreachable here is a warning. */
async function checkReachable(url: string, out: ProblemList): Promise<void> {
  try {
    const r = await fetch(url, {
      method: 'HEAD',
      signal: AbortSignal.timeout(TREE_CHECK_TIMEOUT_MS),
      redirect: 'follow',
    });
    if (!r.ok)
      out.warning('method', 'method.autoinstallUrl', `${url} answered ${r.status} ${r.statusText}`);
  } catch (err) {
    out.warning(
      'method',
      'method.autoinstallUrl',
      `${url} is unreachable from here: ${err instanceof Error ? err.message : 'no answer'}`,
    );
  }
}
