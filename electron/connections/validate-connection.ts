import type { SavedConnection } from '../../shared/contract/connections';
import { VirtDeckError } from '../../shared/contract/errors';
import { parseLibvirtUri, type LibvirtUri } from '../libvirt/uri/libvirt-uri';
import { parseJumpSpec } from '../ssh/ssh-config-resolver';
import { validateSshUsername } from '../ssh/validate-ssh-target';

function invalid(message: string, path: string): VirtDeckError {
  return new VirtDeckError({ kind: 'validation', message, path });
}

/** Parses a saved URI by libvirt's rules and refuses what VirtDeck cannot open. */
export function parseConnectionUri(uri: string): LibvirtUri {
  let parsed: LibvirtUri;
  try {
    parsed = parseLibvirtUri(uri);
  } catch (err) {
    throw invalid((err as Error).message, 'uri');
  }
  if (parsed.transport === 'ext') {
    throw invalid(`${uri}: the 'ext' transport (running a local command) is not supported`, 'uri');
  }
  return parsed;
}

/**
 * Checks a connection about to be saved against the others: a valid libvirt URI with a
 * transport we speak, a unique alias (case-sensitive, as libvirt compares aliases), and SSH
 * settings an SSH client could use. Throws a validation error naming the field.
 */
export function validateConnection(
  candidate: SavedConnection,
  others: readonly SavedConnection[],
): void {
  const clash = others.find((c) => c.id !== candidate.id && c.alias === candidate.alias);
  if (clash) {
    throw invalid(`The alias "${candidate.alias}" is already used by another connection`, 'alias');
  }
  parseConnectionUri(candidate.uri);
  const { ssh } = candidate;
  if (ssh.user !== undefined) {
    try {
      validateSshUsername(ssh.user);
    } catch (err) {
      throw invalid((err as Error).message, 'ssh.user');
    }
  }
  if (ssh.identityFile !== undefined && !/^(\/|~\/)/.test(ssh.identityFile)) {
    throw invalid(
      `The identity file must be an absolute path or start with ~/ (got ${JSON.stringify(ssh.identityFile)})`,
      'ssh.identityFile',
    );
  }
  if (ssh.proxyJump !== undefined) {
    for (const hop of ssh.proxyJump.split(',')) {
      try {
        parseJumpSpec(hop.trim());
      } catch (err) {
        throw invalid((err as Error).message, 'ssh.proxyJump');
      }
    }
  }
}
