import type { Duplex } from 'node:stream';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { domainOpenConsole, type DomainRef } from '../libvirt/facade/domain';
import type { GraphicsTarget } from './graphics-route';
import type { HostLink } from './host-links';
import {
  openDirect,
  openThroughSsh,
  UpstreamError,
  type OpenedUpstream,
} from './open-graphics-upstream';

/** Opens one more connection to a display, each time anew (SPICE wants one per channel). */
export type UpstreamOpener = () => Promise<OpenedUpstream>;

/**
 * The opener for a display: from this machine, or through the host's SSH session. Each SSH
 * channel holds a reference to the session while it is open, so the session cannot end
 * under a console; it is given back when the channel closes.
 */
export function graphicsOpener(
  link: HostLink,
  target: GraphicsTarget,
  via: 'local' | 'ssh',
): UpstreamOpener {
  if (via === 'local') return () => openDirect(target);
  return async () => {
    let lease;
    try {
      lease = await link.sshSession();
    } catch (err) {
      throw new UpstreamError(
        'host-disconnected',
        err instanceof Error ? err.message : 'The SSH session is gone',
        { cause: err },
      );
    }
    try {
      const opened = await openThroughSsh(lease.session, target);
      const release = lease.release;
      opened.stream.once('close', release);
      return opened;
    } catch (err) {
      lease.release();
      throw err;
    }
  };
}

/** The libvirt console stream of a serial/console device (works over any transport). */
export async function openSerialStream(
  client: LibvirtClient,
  dom: DomainRef,
  alias: string | null,
  force: boolean,
): Promise<Duplex> {
  return domainOpenConsole(client, dom, {
    ...(alias !== null ? { devName: alias } : {}),
    force,
  });
}
