import { randomBytes } from 'node:crypto';

/** `<name>-clone`, then `<name>-clone1`, `-clone2`… the first not in `taken`. */
export function freeCloneName(source: string, taken: ReadonlySet<string>): string {
  for (let n = 0; ; n++) {
    const candidate = `${source}-clone${n === 0 ? '' : n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

function splitExtension(name: string): { stem: string; ext: string } {
  const m = /^(.+?)(\.(?:qcow2|raw|img|qed|vmdk|vdi|vhdx?|iso|fd))$/i.exec(name);
  return m?.[1] && m[2] ? { stem: m[1], ext: m[2] } : { stem: name, ext: '' };
}

/**
 * The copy's volume name: the source VM's name in the volume's name becomes the clone's
 * (`web01-vda.qcow2` → `web02-vda.qcow2`); otherwise `-clone` goes before the extension.
 * A number is added until the name is free in the target pool.
 */
export function cloneVolumeName(
  volume: string,
  sourceVm: string,
  cloneVm: string,
  taken: ReadonlySet<string>,
): string {
  const { stem, ext } = splitExtension(volume);
  const base = stem.includes(sourceVm) ? stem.replace(sourceVm, cloneVm) : `${stem}-clone`;
  for (let n = 0; ; n++) {
    const candidate = `${base}${n === 0 ? '' : `-${n}`}${ext}`;
    if (!taken.has(candidate) && candidate !== volume) return candidate;
  }
}

/** A locally administered unicast MAC in QEMU's 52:54:00 range, not in `taken`. */
export function freeMac(taken: ReadonlySet<string>): string {
  for (;;) {
    const tail = [...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':');
    const mac = `52:54:00:${tail}`;
    if (!taken.has(mac)) return mac;
  }
}
