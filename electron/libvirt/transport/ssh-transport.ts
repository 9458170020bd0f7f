import { sshSessionPool } from '../../ssh/ssh-session-pool';
import type { SshSessionPool } from '../../ssh/ssh-session-pool';
import { openLibvirtChannel } from './ssh-libvirt-channel';
import { buildRemoteCommand } from './ssh-remote-command';
import { sshSessionOptions } from './ssh-session-options';
import type { SshTransportOptions, Transport } from './transport-types';

/**
 * qemu+ssh:// with ssh2: an authenticated SSH session to the host (shared with other
 * channels to it) and one channel to its libvirt daemon. `close()` ends the channel and
 * gives the session reference back; the session ends with its last user.
 */
export async function openSshTransport(
  options: SshTransportOptions,
  pool: SshSessionPool = sshSessionPool,
): Promise<Transport> {
  // Refuse bad remote parameters before we touch the network.
  buildRemoteCommand(options.remote);
  const lease = await pool.acquire(await sshSessionOptions(options));
  try {
    const { stream, label } = await openLibvirtChannel(lease.session, options.remote);
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      stream.destroy();
      lease.release();
    };
    stream.once('close', close);
    return { stream, description: `ssh:${lease.session.description} (${label})`, close };
  } catch (err) {
    lease.release();
    throw err;
  }
}
