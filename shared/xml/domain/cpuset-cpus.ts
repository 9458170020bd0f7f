import { XmlEditError } from '../xml-edit-error';

/** Above libvirt's own bitmap limit for CPU lists (VIR_DOMAIN_CPUMASK_LEN). */
const MAX_CPU = 8191;

/**
 * The host CPUs of a libvirt cpuset ("0-3,^2,5"), ascending. libvirt refuses a reversed range
 * and a list that leaves no CPU, so both are refused here before they reach it.
 */
export function cpusetCpus(value: string, what: string): number[] {
  const cpus = new Set<number>();
  const excluded = new Set<number>();
  const text = value.replace(/\s/g, '');
  for (const part of text.split(',')) {
    const m = /^(\^?)(\d+)(?:-(\d+))?$/.exec(part);
    if (!m?.[2]) throw new XmlEditError(`${what} '${value}' is not a CPU list like 0-3,^2`);
    const first = Number(m[2]);
    const last = m[3] !== undefined ? Number(m[3]) : first;
    if (last < first || last > MAX_CPU) {
      throw new XmlEditError(`${what} '${value}' has a bad range ${part}`);
    }
    for (let cpu = first; cpu <= last; cpu++) (m[1] ? excluded : cpus).add(cpu);
  }
  const out = [...cpus].filter((cpu) => !excluded.has(cpu)).sort((a, b) => a - b);
  if (out.length === 0) throw new XmlEditError(`${what} '${value}' leaves no CPU`);
  return out;
}
