import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A unix socket anyone may connect to that relays each connection to `target` (a daemon
 * socket only its owner and root can reach): how an SSH login as an ordinary user reaches
 * the harness daemon, as a session daemon's own socket would.
 */
export async function startUnixRelay(
  target: string,
): Promise<{ path: string; dropAll(): void; stop(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vd-relay-'));
  await chmod(dir, 0o755);
  const socketPath = path.join(dir, 'relay-sock');
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const daemon = connect(target);
    open.add(client).add(daemon);
    client.pipe(daemon).pipe(client);
    const end = () => {
      client.destroy();
      daemon.destroy();
      open.delete(client);
      open.delete(daemon);
    };
    client.on('error', end).on('close', end);
    daemon.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  await chmod(socketPath, 0o666);
  return {
    path: socketPath,
    /** Cuts every relayed link as a network failure would; new connections still relay. */
    dropAll() {
      for (const s of open) s.destroy();
    },
    async stop() {
      for (const s of open) s.destroy();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `?socket=` value: libvirt unescapes the query, so escape all but path characters. */
export function socketQuery(socketPath: string): string {
  return encodeURIComponent(socketPath).replaceAll('%2F', '/');
}
