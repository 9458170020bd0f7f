import { defaultConfigDir } from '../config/config-dir';
import { savedAliasSource } from '../connections/resolve-saved-alias';
import { runVdctl, EXIT_FAILURE } from './run-vdctl';

/**
 * `vdctl`: a virsh-like command line on VirtDeck's own libvirt client (no libvirt library
 * needed, so it works on macOS and Windows too). Built to dist/electron/vdctl.cjs; run it
 * with `npm run vdctl -- ARGS` or the package's `vdctl` bin. See electron/vdctl/README.md.
 */
async function main(): Promise<void> {
  const interrupt = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    // The first Ctrl+C ends the command cleanly (closing the connection); a second one
    // means the user will not wait.
    if (++interrupts > 1) process.exit(130);
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `vdctl list | head -1`: a closed pipe is the reader's choice, not an error to report.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });

  const code = await runVdctl(
    process.argv.slice(2),
    { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env },
    // VirtDeck's saved connection aliases, looked up after libvirt.conf's uri_aliases.
    { signal: interrupt.signal, aliases: savedAliasSource(defaultConfigDir()) },
  );
  // Leftover handles (a half-closed socket, stdin) must not keep a finished command alive.
  process.exit(code);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `error: ${error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error)}\n`,
  );
  process.exit(EXIT_FAILURE);
});
