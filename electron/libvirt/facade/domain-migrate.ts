import {
  VIR_MIGRATE_PARAM_BANDWIDTH,
  VIR_MIGRATE_PARAM_COMPRESSION,
  VIR_MIGRATE_PARAM_DEST_NAME,
  VIR_MIGRATE_PARAM_DEST_XML,
  VIR_MIGRATE_PARAM_DISKS_PORT,
  VIR_MIGRATE_PARAM_DISKS_URI,
  VIR_MIGRATE_PARAM_GRAPHICS_URI,
  VIR_MIGRATE_PARAM_LISTEN_ADDRESS,
  VIR_MIGRATE_PARAM_MIGRATE_DISKS,
  VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS,
  VIR_MIGRATE_PARAM_PERSIST_XML,
  VIR_MIGRATE_PARAM_TLS_DESTINATION,
  VIR_MIGRATE_PARAM_URI,
  VIR_MIGRATE_PEER2PEER,
  virDomainMigrateFlags,
} from '../protocol/constants.gen';
import type { RemoteTypedParam } from '../protocol/remote.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import { domainRefToRemote, type DomainRef } from './domain-ref';
import { enumFlags, type EnumName } from './enum-name';
import { typedParam } from './stats';

/**
 * Migration parameters (virDomainMigrate* VIR_MIGRATE_PARAM_*); the field names come from
 * libvirt's string macros, generated into constants.gen.ts.
 */
export interface MigrationParams {
  /** migrate_uri: where the hypervisors send the data, e.g. 'tcp://10.0.0.2'. */
  uri?: string;
  /** destination_name */
  destName?: string;
  /** destination_xml: the domain XML to use on the destination. */
  destXml?: string;
  /** persistent_xml: the definition to store on the destination (with persist-dest). */
  persistXml?: string;
  /** bandwidth in MiB/s (0 = unlimited). */
  bandwidthMiBs?: bigint | number;
  /** graphics_uri: where clients should reconnect, e.g. 'vnc://host:5900'. */
  graphicsUri?: string;
  /** listen_address on the destination for incoming migration data. */
  listenAddress?: string;
  /** migrate_disks: disk targets to copy (with non-shared-disk); one field per disk. */
  migrateDisks?: readonly string[];
  /** disks_port for the NBD server on the destination. */
  disksPort?: number;
  /** disks_uri for the NBD server on the destination. */
  disksUri?: string;
  /** compression methods ('xbzrle', 'mt', …) with the compressed flag; one field per method. */
  compression?: readonly string[];
  /** parallel.connections with the parallel flag. */
  parallelConnections?: number;
  /** tls.destination: host name to check the destination's certificate against. */
  tlsDestination?: string;
}

/** Builds the typed-parameter list of a migration, checking each value's type. */
export function migrationParams(p: MigrationParams): RemoteTypedParam[] {
  const out: RemoteTypedParam[] = [];
  const str = (field: string, v: string | undefined): void => {
    if (v !== undefined) out.push(typedParam(field, 'string', v));
  };
  str(VIR_MIGRATE_PARAM_URI, p.uri);
  str(VIR_MIGRATE_PARAM_DEST_NAME, p.destName);
  str(VIR_MIGRATE_PARAM_DEST_XML, p.destXml);
  str(VIR_MIGRATE_PARAM_PERSIST_XML, p.persistXml);
  if (p.bandwidthMiBs !== undefined)
    out.push(typedParam(VIR_MIGRATE_PARAM_BANDWIDTH, 'ullong', p.bandwidthMiBs));
  str(VIR_MIGRATE_PARAM_GRAPHICS_URI, p.graphicsUri);
  str(VIR_MIGRATE_PARAM_LISTEN_ADDRESS, p.listenAddress);
  for (const disk of p.migrateDisks ?? []) str(VIR_MIGRATE_PARAM_MIGRATE_DISKS, disk);
  if (p.disksPort !== undefined)
    out.push(typedParam(VIR_MIGRATE_PARAM_DISKS_PORT, 'int', p.disksPort));
  str(VIR_MIGRATE_PARAM_DISKS_URI, p.disksUri);
  for (const method of p.compression ?? []) str(VIR_MIGRATE_PARAM_COMPRESSION, method);
  if (p.parallelConnections !== undefined) {
    out.push(typedParam(VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS, 'int', p.parallelConnections));
  }
  str(VIR_MIGRATE_PARAM_TLS_DESTINATION, p.tlsDestination);
  return out;
}

export type MigrateFlag = EnumName<typeof virDomainMigrateFlags, 'VIR_MIGRATE_'>;

export interface MigrateToUriOptions {
  /** The destination libvirt URI, as the SOURCE daemon must reach it (it connects itself). */
  destUri: string;
  /** VIR_MIGRATE_* bits or names ('live', 'persist-dest', …); peer2peer is always added. */
  flags?: number | readonly MigrateFlag[];
  params?: MigrationParams;
}

/**
 * Peer-to-peer migration (virDomainMigrateToURI3 with VIR_MIGRATE_PEER2PEER): one call to the
 * source daemon, which talks to the destination itself and returns when the job is done.
 * Progress: domainGetJobInfo on another connection, or 'migration-iteration' events.
 */
export async function domainMigrateToUri(
  c: LibvirtClient,
  dom: DomainRef,
  options: MigrateToUriOptions,
): Promise<void> {
  if (typeof options.destUri !== 'string' || options.destUri === '') {
    throw new TypeError('destUri is required');
  }
  const given =
    typeof options.flags === 'object'
      ? enumFlags(virDomainMigrateFlags, 'VIR_MIGRATE_', options.flags)
      : (options.flags ?? 0) >>> 0;
  await c.remote.domainMigratePerform3Params({
    dom: domainRefToRemote(dom),
    dconnuri: options.destUri,
    params: migrationParams(options.params ?? {}),
    cookie_in: new Uint8Array(0),
    flags: (given | VIR_MIGRATE_PEER2PEER) >>> 0,
  });
}
