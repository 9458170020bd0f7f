import { startPrivateLibvirtd } from './private-libvirtd';

/**
 * `npm run dev:libvirtd`: one private libvirtd in the foreground for trying VirtDeck by
 * hand. Ctrl+C (or SIGTERM) destroys its guests, stops it and removes its folder.
 */
async function main(): Promise<void> {
  const daemon = await startPrivateLibvirtd({ idleTimeoutSec: 8 * 3600 });
  const lines = [
    `Private libvirtd running (pid ${daemon.pid}, virtlogd ${daemon.virtlogdPid}) as ${daemon.user}`,
    `  folder:  ${daemon.dir}`,
    `  socket:  ${daemon.socketPath}`,
    `  QEMU:    ${daemon.uri('qemu')}`,
    `  test:    ${daemon.uri('test')}`,
    '',
    `  virsh:   virsh -c '${daemon.uri('qemu')}' list --all`,
    `  VirtDeck: add a connection with the QEMU URI above (or the socket path).`,
    '',
    'It exits by itself after 8 h without clients or guests. Ctrl+C to stop it now.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (why: string, exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${why}: stopping the private libvirtd…\n`);
    try {
      await daemon.stop();
      process.stdout.write('Stopped; folder removed.\n');
    } catch (error) {
      process.stderr.write(`Stop failed: ${(error as Error).message}\n`);
      exitCode = 1;
    }
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGHUP', () => void stop('SIGHUP', 0));
  const exit = await daemon.exited;
  await stop(`${exit.daemon} exited (code ${exit.code}, signal ${exit.signal})`, 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : JSON.stringify(error)}\n`);
  process.exit(1);
});
