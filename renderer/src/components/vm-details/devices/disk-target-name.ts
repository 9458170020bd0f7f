/** The prefix libvirt/QEMU guests use for a bus: vd for virtio, sd for SATA/SCSI/USB, … */
export function targetPrefix(bus: string): string {
  switch (bus) {
    case 'virtio':
      return 'vd';
    case 'ide':
      return 'hd';
    case 'fdc':
      return 'fd';
    default:
      return 'sd';
  }
}

/** a, b, … z, aa, ab, … as Linux names the 1st, 2nd, 27th disk. */
function letters(index: number): string {
  let n = index;
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

/** The first target name of the bus's prefix that no disk of the VM uses. */
export function nextDiskTarget(bus: string, used: readonly string[]): string {
  const prefix = targetPrefix(bus);
  const taken = new Set(used);
  for (let i = 0; ; i++) {
    const name = `${prefix}${letters(i)}`;
    if (!taken.has(name)) return name;
  }
}
