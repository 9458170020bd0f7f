import { LibvirtClient } from '../libvirt/client/libvirt-client';
import type { AliasSource } from '../libvirt/uri/resolve-uri';
import { describeFailure } from './vdctl-errors';

/**
 * The name virsh would hand to virConnectOpen: `-c` (a URI or an alias), else
 * $VIRSH_DEFAULT_CONNECT_URI (virsh still honours it), else '' — and '' makes the open
 * fall back to $LIBVIRT_DEFAULT_URI, then uri_default from libvirt.conf, exactly like
 * libvirt's own client. Aliases from uri_aliases apply to whichever name wins.
 */
export function requestedUri(
  connect: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return connect ?? (env.VIRSH_DEFAULT_CONNECT_URI || '');
}

/**
 * Opens the connection, failing like virsh ("failed to connect to the hypervisor" and the
 * reason). `aliases` is the seam for VirtDeck's saved connection names: they are looked up
 * after libvirt.conf's uri_aliases.
 */
export function openVdctlClient(requested: string, aliases?: AliasSource): Promise<LibvirtClient> {
  return describeFailure('failed to connect to the hypervisor', () =>
    LibvirtClient.open(requested, aliases ? { extraAliases: aliases } : {}),
  );
}
