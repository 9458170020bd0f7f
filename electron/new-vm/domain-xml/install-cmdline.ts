import type { OsEntry } from '../../../shared/contract/new-vm';

/**
 * The kernel arguments of a network-tree install: the user's own, plus what the OS's
 * installer needs to find its packages and its answer file. Each installer reads its own
 * argument, so the OS (or, without one, the tree's .treeinfo family) decides:
 *
 * - Anaconda (Fedora, RHEL and rebuilds): `inst.repo=<tree>` (with direct kernel boot the
 *   installer has no media to find stage2 on) and `inst.ks=<kickstart>`.
 * - debian-installer (Debian, Ubuntu ≤ 18.04): `auto=true priority=critical url=<preseed>`;
 *   the netboot initrd finds its mirror itself.
 * - Subiquity (Ubuntu ≥ 20.04): `autoinstall ds=nocloud-net;s=<url>` — the URL is a folder
 *   holding user-data and meta-data, as Subiquity expects.
 * - SUSE (YaST): `install=<tree> autoyast=<profile>`.
 * Anything else gets only the user's arguments: we do not guess an unknown installer's
 * syntax, and say so in the wizard's note (the autoinstall URL is then ignored).
 */
export function installCmdline(input: {
  os: OsEntry | null;
  treeFamily: string | null;
  treeUrl: string;
  kernelArgs?: string | undefined;
  autoinstallUrl?: string | undefined;
}): { cmdline: string; autoinstallUsed: boolean } {
  const parts: string[] = [];
  const kind = installerKind(input.os, input.treeFamily);
  const auto = input.autoinstallUrl;
  let autoinstallUsed = false;
  switch (kind) {
    case 'anaconda':
      parts.push(`inst.repo=${input.treeUrl}`);
      if (auto) parts.push(`inst.ks=${auto}`);
      autoinstallUsed = auto !== undefined;
      break;
    case 'debian-installer':
      if (auto) parts.push('auto=true', 'priority=critical', `url=${auto}`);
      autoinstallUsed = auto !== undefined;
      break;
    case 'subiquity':
      if (auto) parts.push('autoinstall', `ds=nocloud-net;s=${auto}`);
      autoinstallUsed = auto !== undefined;
      break;
    case 'yast':
      parts.push(`install=${input.treeUrl}`);
      if (auto) parts.push(`autoyast=${auto}`);
      autoinstallUsed = auto !== undefined;
      break;
    case null:
      break;
  }
  const user = input.kernelArgs?.trim();
  if (user) parts.push(user);
  return { cmdline: parts.join(' '), autoinstallUsed };
}

type InstallerKind = 'anaconda' | 'debian-installer' | 'subiquity' | 'yast' | null;

const ANACONDA = new Set([
  'fedora',
  'rhel',
  'centos',
  'centos-stream',
  'rocky',
  'almalinux',
  'ol',
  'scientificlinux',
  'eurolinux',
  'circle',
]);

function installerKind(os: OsEntry | null, treeFamily: string | null): InstallerKind {
  const distro = os?.distro ?? '';
  if (ANACONDA.has(distro)) return 'anaconda';
  if (distro === 'debian') return 'debian-installer';
  if (distro === 'ubuntu')
    return Number.parseFloat(os?.version ?? '0') >= 20 ? 'subiquity' : 'debian-installer';
  if (distro === 'opensuse' || distro === 'sles' || distro === 'sled') return 'yast';
  // No OS chosen: a .treeinfo family is Anaconda's own file format.
  const family = (treeFamily ?? '').toLowerCase();
  if (/fedora|red hat|centos|rocky|alma|oracle/.test(family)) return 'anaconda';
  return null;
}
