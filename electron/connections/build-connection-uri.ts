import type { BuildUriInput } from '../../shared/contract/connections';
import { VirtDeckError } from '../../shared/contract/errors';
import { parseLibvirtUri } from '../libvirt/uri/libvirt-uri';
import { validateSshHost } from '../ssh/validate-ssh-target';

const DRIVERS: Readonly<Record<BuildUriInput['hypervisor'], { driver: string; path: string }>> = {
  'qemu-system': { driver: 'qemu', path: '/system' },
  'qemu-session': { driver: 'qemu', path: '/session' },
  // virt-manager writes lxc:/// ; libvirt's LXC driver has only one instance.
  lxc: { driver: 'lxc', path: '/' },
  test: { driver: 'test', path: '/default' },
};

function invalid(message: string, path: string): VirtDeckError {
  return new VirtDeckError({ kind: 'validation', message, path });
}

/** '' from an empty form field means "not given". */
function given(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * The URI virt-manager's Add Connection dialog would generate: `driver[+transport]://
 * [user@]host[:port]/path` for remote hosts, `driver:///path` for this one. The result is
 * parsed back with libvirt's rules, so what is shown is what will be opened.
 */
export function buildConnectionUri(input: BuildUriInput): string {
  const { driver, path } = DRIVERS[input.hypervisor];
  const user = given(input.user);
  const host = given(input.host);
  let uri: string;
  if (input.transport === 'local') {
    if (host !== undefined || user !== undefined || input.port !== undefined) {
      throw invalid(
        'A local connection has no user, host or port; choose SSH, TLS or TCP for a remote host',
        host !== undefined ? 'host' : user !== undefined ? 'user' : 'port',
      );
    }
    uri = `${driver}://${path}`;
  } else {
    if (host === undefined)
      throw invalid(`A host is required for ${input.transport.toUpperCase()}`, 'host');
    let bare: string;
    try {
      bare = validateSshHost(host);
    } catch {
      throw invalid(`Invalid host name ${JSON.stringify(host.slice(0, 100))}`, 'host');
    }
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (user !== undefined && /[\s\u0000-\u001f\u007f]/.test(user)) {
      throw invalid(`Invalid user name ${JSON.stringify(user.slice(0, 100))}`, 'user');
    }
    const authority =
      (user !== undefined ? `${encodeURIComponent(user)}@` : '') +
      (bare.includes(':') ? `[${bare}]` : bare) +
      (input.port !== undefined ? `:${input.port}` : '');
    uri = `${driver}+${input.transport}://${authority}${path}`;
  }
  try {
    parseLibvirtUri(uri);
  } catch (err) {
    throw invalid((err as Error).message, 'host');
  }
  return uri;
}
