import { isLibvirtError } from '../errors';
import {
  VIR_CONNECT_LIST_DOMAINS_ACTIVE,
  VIR_CONNECT_LIST_DOMAINS_INACTIVE,
  VIR_DOMAIN_AFFECT_CONFIG,
  VIR_DOMAIN_AFFECT_LIVE,
  VIR_DOMAIN_DEFINE_VALIDATE,
  VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA,
  VIR_DOMAIN_UNDEFINE_KEEP_NVRAM,
  VIR_DOMAIN_UNDEFINE_MANAGED_SAVE,
  VIR_DOMAIN_UNDEFINE_NVRAM,
  VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
  VIR_DOMAIN_XML_INACTIVE,
  VIR_DOMAIN_XML_MIGRATABLE,
  VIR_DOMAIN_XML_SECURE,
  VIR_ERR_NO_DOMAIN,
  virDomainGetHostnameFlags,
  virDomainMetadataType,
} from '../protocol/constants.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import { domainRefFromRemote, domainRefToRemote, type DomainRef } from './domain-ref';
import { enumValue, type EnumName } from './enum-name';
import { flagBits } from './flag-bits';
import { isUuid, parseUuid } from './uuid';

export * from './domain-info';
export * from './domain-lifecycle';
export * from './domain-devices';
export * from './domain-streams';
export * from './domain-migrate';

export type { DomainRef } from './domain-ref';

function requireXml(xml: string): string {
  if (typeof xml !== 'string' || xml.trim() === '') throw new TypeError('XML must not be empty');
  return xml;
}

/**
 * CONNECT_LIST_ALL_DOMAINS. `flags` are VIR_CONNECT_LIST_DOMAINS_* filters; the default lists
 * running and shut-off domains alike (virsh list --all).
 */
export async function domainList(
  c: LibvirtClient,
  {
    flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE,
  }: { flags?: number } = {},
): Promise<DomainRef[]> {
  const { domains } = await c.remote.connectListAllDomains({ need_results: 1, flags: flags >>> 0 });
  return domains.map(domainRefFromRemote);
}

/**
 * Finds a domain the way virsh does: a non-negative number is tried as an ID, then a UUID,
 * then the text as a name. Only "no such domain" moves on to the next try; the name lookup's
 * error is what the caller gets.
 */
export async function domainLookup(c: LibvirtClient, nameOrUuidOrId: string): Promise<DomainRef> {
  if (typeof nameOrUuidOrId !== 'string' || nameOrUuidOrId === '') {
    throw new TypeError('a domain name, UUID or ID is required');
  }
  const missing = (err: unknown): null => {
    if (isLibvirtError(err, VIR_ERR_NO_DOMAIN)) return null;
    throw err;
  };
  if (/^\d{1,10}$/.test(nameOrUuidOrId) && Number(nameOrUuidOrId) <= 0x7fffffff) {
    const byId = await c.remote.domainLookupById({ id: Number(nameOrUuidOrId) }).catch(missing);
    if (byId) return domainRefFromRemote(byId.dom);
  }
  if (isUuid(nameOrUuidOrId)) {
    const byUuid = await c.remote
      .domainLookupByUuid({ uuid: parseUuid(nameOrUuidOrId) })
      .catch(missing);
    if (byUuid) return domainRefFromRemote(byUuid.dom);
  }
  const { dom } = await c.remote.domainLookupByName({ name: nameOrUuidOrId });
  return domainRefFromRemote(dom);
}

export interface DomainXmlOptions {
  /** The persistent definition, not the running one. */
  inactive?: boolean;
  /** Include secrets such as VNC passwords. */
  secure?: boolean;
  /** Only what a migration target / older libvirt accepts. */
  migratable?: boolean;
}

export async function domainGetXml(
  c: LibvirtClient,
  dom: DomainRef,
  options: DomainXmlOptions = {},
): Promise<string> {
  const flags = flagBits(
    [options.inactive, VIR_DOMAIN_XML_INACTIVE],
    [options.secure, VIR_DOMAIN_XML_SECURE],
    [options.migratable, VIR_DOMAIN_XML_MIGRATABLE],
  );
  return (await c.remote.domainGetXmlDesc({ dom: domainRefToRemote(dom), flags })).xml;
}

/** DOMAIN_DEFINE_XML_FLAGS; `validate` checks the XML against libvirt's schema first. */
export async function domainDefineXml(
  c: LibvirtClient,
  xml: string,
  { validate }: { validate?: boolean } = {},
): Promise<DomainRef> {
  const flags = flagBits([validate, VIR_DOMAIN_DEFINE_VALIDATE]);
  const { dom } = await c.remote.domainDefineXmlFlags({ xml: requireXml(xml), flags });
  return domainRefFromRemote(dom);
}

export interface DomainUndefineOptions {
  /** Also remove a managed-save image (else undefine fails if one exists). */
  managedSave?: boolean;
  /** Also drop snapshot metadata (else undefine fails if snapshots exist). */
  snapshotsMetadata?: boolean;
  checkpointsMetadata?: boolean;
  /** Delete the UEFI NVRAM file; `keepNvram` keeps it. One of the two is needed for UEFI guests. */
  nvram?: boolean;
  keepNvram?: boolean;
}

export async function domainUndefine(
  c: LibvirtClient,
  dom: DomainRef,
  options: DomainUndefineOptions = {},
): Promise<void> {
  if (options.nvram && options.keepNvram)
    throw new TypeError('nvram and keepNvram exclude each other');
  const flags = flagBits(
    [options.managedSave, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE],
    [options.snapshotsMetadata, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA],
    [options.checkpointsMetadata, VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA],
    [options.nvram, VIR_DOMAIN_UNDEFINE_NVRAM],
    [options.keepNvram, VIR_DOMAIN_UNDEFINE_KEEP_NVRAM],
  );
  await c.remote.domainUndefineFlags({ dom: domainRefToRemote(dom), flags });
}

/** DOMAIN_RENAME (shut-off domains only); the UUID stays. */
export async function domainRename(
  c: LibvirtClient,
  dom: DomainRef,
  newName: string,
): Promise<DomainRef> {
  if (typeof newName !== 'string' || newName === '') throw new TypeError('the new name is empty');
  await c.remote.domainRename({ dom: domainRefToRemote(dom), new_name: newName, flags: 0 });
  return { ...dom, name: newName };
}

export async function domainGetAutostart(c: LibvirtClient, dom: DomainRef): Promise<boolean> {
  return (await c.remote.domainGetAutostart({ dom: domainRefToRemote(dom) })).autostart !== 0;
}

export async function domainSetAutostart(
  c: LibvirtClient,
  dom: DomainRef,
  autostart: boolean,
): Promise<void> {
  await c.remote.domainSetAutostart({ dom: domainRefToRemote(dom), autostart: autostart ? 1 : 0 });
}

export async function domainIsActive(c: LibvirtClient, dom: DomainRef): Promise<boolean> {
  return (await c.remote.domainIsActive({ dom: domainRefToRemote(dom) })).active !== 0;
}

export async function domainIsPersistent(c: LibvirtClient, dom: DomainRef): Promise<boolean> {
  return (await c.remote.domainIsPersistent({ dom: domainRefToRemote(dom) })).persistent !== 0;
}

export type DomainMetadataType = EnumName<typeof virDomainMetadataType, 'VIR_DOMAIN_METADATA_'>;

export interface DomainMetadataTarget {
  type: DomainMetadataType;
  /** Namespace URI; required for (and only for) 'element'. */
  uri?: string;
  /** Running definition / persistent one; neither = the current state's. */
  live?: boolean;
  config?: boolean;
}

function metadataTarget(target: DomainMetadataTarget): {
  type: number;
  uri: string | null;
  flags: number;
} {
  const type = enumValue(virDomainMetadataType, 'VIR_DOMAIN_METADATA_', target.type);
  if ((target.type === 'element') !== (target.uri !== undefined)) {
    throw new TypeError("metadata type 'element' needs a namespace uri, the others take none");
  }
  return {
    type,
    uri: target.uri ?? null,
    flags: flagBits(
      [target.live, VIR_DOMAIN_AFFECT_LIVE],
      [target.config, VIR_DOMAIN_AFFECT_CONFIG],
    ),
  };
}

/** The title, the description, or one namespaced `<metadata>` element (as XML). */
export async function domainGetMetadata(
  c: LibvirtClient,
  dom: DomainRef,
  target: DomainMetadataTarget,
): Promise<string> {
  const { type, uri, flags } = metadataTarget(target);
  return (await c.remote.domainGetMetadata({ dom: domainRefToRemote(dom), type, uri, flags }))
    .metadata;
}

export interface DomainSetMetadataOptions extends DomainMetadataTarget {
  /** null removes it. */
  value: string | null;
  /** XML namespace prefix for 'element'. */
  key?: string;
}

export async function domainSetMetadata(
  c: LibvirtClient,
  dom: DomainRef,
  options: DomainSetMetadataOptions,
): Promise<void> {
  const { type, uri, flags } = metadataTarget(options);
  if (options.type === 'element' && options.value !== null && !options.key) {
    throw new TypeError("metadata type 'element' needs a key (namespace prefix)");
  }
  await c.remote.domainSetMetadata({
    dom: domainRefToRemote(dom),
    type,
    metadata: options.value,
    key: options.key ?? null,
    uri,
    flags,
  });
}

export type DomainHostnameSource = EnumName<
  typeof virDomainGetHostnameFlags,
  'VIR_DOMAIN_GET_HOSTNAME_'
>;

/** The guest's hostname from DHCP leases or the guest agent (default: the driver's choice). */
export async function domainGetHostname(
  c: LibvirtClient,
  dom: DomainRef,
  { source }: { source?: DomainHostnameSource } = {},
): Promise<string> {
  const flags = source
    ? enumValue(virDomainGetHostnameFlags, 'VIR_DOMAIN_GET_HOSTNAME_', source)
    : 0;
  return (await c.remote.domainGetHostname({ dom: domainRefToRemote(dom), flags })).hostname;
}
