import { readFile } from 'node:fs/promises';

const HINTS: ReadonlyArray<{ ids: readonly string[]; hint: string }> = [
  {
    ids: ['debian', 'ubuntu'],
    hint: 'sudo apt install libvirt-daemon-system qemu-system-x86 && sudo adduser "$USER" libvirt',
  },
  {
    ids: ['fedora', 'rhel', 'centos'],
    hint: 'sudo dnf install @virtualization && sudo systemctl enable --now virtqemud.socket',
  },
  {
    ids: ['arch'],
    hint: 'sudo pacman -S libvirt qemu-full && sudo systemctl enable --now libvirtd.socket',
  },
  {
    ids: ['suse', 'opensuse'],
    hint: 'sudo zypper install -t pattern kvm_server kvm_tools',
  },
];

const GENERIC =
  "Install libvirt and QEMU with your distribution's package manager (the libvirt daemon " +
  "and qemu-system packages), then start the libvirt daemon and add yourself to the 'libvirt' group.";

/** How to install libvirt on this distribution, from /etc/os-release's ID and ID_LIKE. */
export async function libvirtInstallHint(osReleaseFile: string): Promise<string> {
  let text = '';
  try {
    text = await readFile(osReleaseFile, 'utf8');
  } catch {
    return GENERIC;
  }
  const field = (name: string): string[] =>
    (new RegExp(`^${name}=(.*)$`, 'm').exec(text)?.[1] ?? '')
      .replace(/^["']|["']$/g, '')
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean);
  const ids = [...field('ID'), ...field('ID_LIKE')];
  for (const id of ids) {
    const match = HINTS.find((h) =>
      h.ids.some((known) => id === known || id.startsWith(`${known}-`)),
    );
    if (match) return match.hint;
  }
  return GENERIC;
}
