import type { ApiDescription, ApiEnum } from './api-xml';

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byValueThenName(a: ApiEnum, b: ApiEnum): number {
  return a.value - b.value || byName(a.name, b.name);
}

function namesByCode(enums: readonly ApiEnum[], type: string, exportName: string): string[] {
  const members = enums.filter((e) => e.type === type).sort(byValueThenName);
  if (members.length === 0) throw new Error(`libvirt-api.xml has no enum type ${type}`);
  const seen = new Set<number>();
  const lines = [`/** ${type} code → enum member name (the first by name when codes repeat). */`];
  lines.push(`export const ${exportName}: Readonly<Record<number, string>> = {`);
  for (const e of members) {
    if (seen.has(e.value)) continue;
    seen.add(e.value);
    lines.push(`  ${e.value}: '${e.name}',`);
  }
  lines.push('};', '');
  return lines;
}

/** constants.gen.ts: every API enum value, string macros, grouped objects per C enum type, error-code names. */
export function emitConstants(api: ApiDescription, header: string): string {
  const out: string[] = [header, ''];
  for (const e of api.enums) out.push(`export const ${e.name} = ${e.value};`);
  out.push('');
  // Typed-parameter field names (migration, tuning, stats…), so callers never spell them.
  for (const name of [...api.stringMacros.keys()].sort(byName)) {
    out.push(`export const ${name} = ${JSON.stringify(api.stringMacros.get(name))};`);
  }
  out.push('');

  const groups = new Map<string, ApiEnum[]>();
  for (const e of api.enums) groups.set(e.type, [...(groups.get(e.type) ?? []), e]);
  for (const type of [...groups.keys()].sort(byName)) {
    const members = (groups.get(type) ?? []).sort(byValueThenName);
    const file = members[0]?.file ?? '';
    out.push(`/** enum ${type} (${file}.h) */`, `export const ${type} = {`);
    for (const e of members) out.push(`  ${e.name}: ${e.value},`);
    out.push('} as const;', '');
  }
  out.push(...namesByCode(api.enums, 'virErrorNumber', 'virErrorNumberNames'));
  out.push(...namesByCode(api.enums, 'virErrorDomain', 'virErrorDomainNames'));
  return out.join('\n').trimEnd() + '\n';
}
