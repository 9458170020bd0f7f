/**
 * A name for the new VM from the OS's short id (`debian12`, then `debian12-2`, … as
 * virt-manager does), free among `taken` (the host's VM names) and valid for libvirt and our
 * name rule. Generic guests are called `vm`.
 */
export function suggestVmName(shortId: string | null, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base =
    (shortId ?? '')
      .replace(/[^A-Za-z0-9_.+-]/g, '-')
      .replace(/^[.+-]+/, '')
      .slice(0, 180) || 'vm';
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}
