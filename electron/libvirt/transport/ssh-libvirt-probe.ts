import { REMOTE_RUN_DIR, describeDriverUri, validateSocketPath } from './ssh-remote-command';
import type { RemoteDaemonSpec } from './ssh-remote-command';

/**
 * A fixed command (no user input in it) that lists the libvirt sockets on the remote host
 * and whether virt-ssh-helper is installed. Run once per SSH session.
 */
export const LIBVIRT_PROBE_COMMAND =
  `sh -c 'command -v virt-ssh-helper >/dev/null 2>&1 && echo helper; ` +
  `for s in ${REMOTE_RUN_DIR}/*-sock ${REMOTE_RUN_DIR}/*-sock-ro; do test -S "$s" && echo "system $s"; done; ` +
  `d="\${XDG_RUNTIME_DIR:-$HOME/.cache}/libvirt"; ` +
  `for s in "$d"/*-sock; do test -S "$s" && echo "session $s"; done; true'`;

export interface LibvirtProbe {
  helper: boolean;
  systemSockets: string[];
  sessionSockets: string[];
}

/** Reads the probe's output, keeping only lines and paths it expects. */
export function parseLibvirtProbe(output: string): LibvirtProbe {
  const probe: LibvirtProbe = { helper: false, systemSockets: [], sessionSockets: [] };
  for (const line of output.split('\n')) {
    const text = line.trim();
    if (text === 'helper') {
      probe.helper = true;
      continue;
    }
    const match = /^(system|session) (\/\S+)$/.exec(text);
    if (!match?.[2]) continue;
    try {
      validateSocketPath(match[2]);
    } catch {
      continue;
    }
    (match[1] === 'system' ? probe.systemSockets : probe.sessionSockets).push(match[2]);
  }
  return probe;
}

/**
 * The socket a streamlocal channel should go to, or null if the probe found none that
 * fits (then the exec helper decides remotely). Mirrors virt-ssh-helper's mode=auto:
 * the driver's modular daemon if it runs, else the monolithic libvirtd.
 */
export function chooseRemoteSocket(spec: RemoteDaemonSpec, probe: LibvirtProbe): string | null {
  const { driver, session } = describeDriverUri(spec.driverUri);
  const modular = /^[a-z]+$/.test(driver) && driver !== 'test' ? `virt${driver}d` : null;
  if (session) {
    const find = (name: string) => probe.sessionSockets.find((s) => s.endsWith(`/${name}-sock`));
    return (
      (modular && spec.mode !== 'legacy' ? find(modular) : undefined) ??
      (spec.mode !== 'direct' ? find('libvirt') : undefined) ??
      null
    );
  }
  const suffix = spec.readOnly ? '-sock-ro' : '-sock';
  const present = (name: string): string | null => {
    const path = `${REMOTE_RUN_DIR}/${name}${suffix}`;
    return probe.systemSockets.includes(path) ? path : null;
  };
  const mode = spec.mode ?? 'auto';
  if (mode === 'direct') return modular ? present(modular) : null;
  if (mode === 'legacy') return present('libvirt');
  return (modular ? present(modular) : null) ?? present('libvirt');
}
