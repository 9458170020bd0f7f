/** Name mapping from `.x` identifiers to TypeScript ones. */

function words(name: string): string[] {
  return name.split('_').filter((w) => w.length > 0);
}

function capitalize(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** `remote_nonnull_domain` → `RemoteNonnullDomain`; `virNetMessageHeader` → `VirNetMessageHeader`. */
export function pascalCase(name: string): string {
  return words(name).map(capitalize).join('');
}

/** `remote_nonnull_domain` → `remoteNonnullDomain`. */
export function camelCase(name: string): string {
  const p = pascalCase(name);
  return p.charAt(0).toLowerCase() + p.slice(1);
}

/** `remote_nonnull_domain` → `remoteNonnullDomainCodec`. */
export function codecName(name: string): string {
  return `${camelCase(name)}Codec`;
}

/** Procedure key (`DOMAIN_LOOKUP_BY_NAME`) → client method name (`domainLookupByName`). */
export function methodName(key: string): string {
  return camelCase(key.toLowerCase());
}

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof new null return super switch this throw ' +
    'true try typeof var void while with yield let static implements interface package private ' +
    'protected public await arguments eval undefined'
  ).split(' '),
);

/** A local variable name for a field that cannot clash with keywords or the codec's own names. */
export function localName(field: string): string {
  return RESERVED.has(field) || field === 'r' || field === 'w' || field === 'v'
    ? `${field}_`
    : field;
}
