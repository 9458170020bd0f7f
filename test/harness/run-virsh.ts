import { findExecutable } from './find-executable';
import { runCommand, type CommandResult } from './run-command';

/**
 * The environment for a virsh child: never auto-spawn a daemon, C locale for stable
 * output, and no inherited default URI that could point at a system daemon.
 */
export function virshEnvironment(defaultUri: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LIBVIRT_AUTOSTART: '0', LC_ALL: 'C' };
  delete env.VIRSH_DEFAULT_CONNECT_URI;
  env.LIBVIRT_DEFAULT_URI = defaultUri;
  return env;
}

/** `virsh -c <uri> …args` — the reference tool for tests; app code never runs virsh. */
export function runVirsh(
  uri: string,
  args: readonly string[],
  timeoutMs = 120_000,
): Promise<CommandResult> {
  return runCommand(findExecutable('virsh', 'install libvirt-clients'), ['-c', uri, ...args], {
    env: virshEnvironment(uri),
    timeoutMs,
  });
}
