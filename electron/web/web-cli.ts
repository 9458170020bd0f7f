import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect, parseArgs } from 'node:util';
import { defaultConfigDir } from '../config/config-dir';
import { createHandlerRegistry } from '../handlers';
import { createServices } from '../services';
import { createStderrLogger } from '../services/logger';
import { RendererAssets } from '../services/renderer-assets';
import { handleVolumeTransfer } from '../storage/volume-transfer-endpoint';
import { WebAuth } from './web-auth';
import { WebHost, isLoopback } from './web-host';

const USAGE = 'Usage: npm run web -- [--port N] [--host ADDR]';

/**
 * `npm run web`: the same UI in a browser, for headless servers and for our tests. Stdout
 * carries exactly one line, the URL; everything else goes to stderr.
 */
async function main(): Promise<void> {
  const logger = createStderrLogger();
  const { host, port } = parseOptions(process.argv.slice(2));
  const auth = WebAuth.fromEnvironment(process.env);
  // Port 0 by default: a fixed port collides with a second run or another user's host, and
  // a bookmark would not help anyway since the token changes every run.
  if (!isLoopback(host)) {
    logger.warn(
      `Listening on ${host}, not loopback: other machines can reach this host over plain HTTP. ` +
        'Anyone who learns the token controls your VMs.',
    );
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const assets = await RendererAssets.open(path.resolve(here, '../renderer'));
  const services = await createServices({ hostKind: 'web', configDir: defaultConfigDir(), logger });
  const registry = createHandlerRegistry(services);
  const webHost = await WebHost.start({
    host,
    port,
    auth,
    assets,
    registry,
    events: services.events,
    logger,
    consoles: services.consoles.service.bridge,
    volumeTransfers: (req, res, url) => handleVolumeTransfer(services.transfers, req, res, url),
  });
  process.stdout.write(`VirtDeck web host: ${webHost.url}\n`);
  // Saved hosts load and autoconnect in the background, so a slow host never delays the
  // ready line; the renderer sees their states arrive as events.
  services.connections
    .start()
    .catch((err: unknown) => logger.error('Saved connections could not be loaded', err));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1); // A second Ctrl-C: the user does not want to wait.
    stopping = true;
    logger.info(`${signal}: stopping the web host`);
    Promise.all([webHost.stop(), services.dispose()]).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('Stopping the web host failed', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

function parseOptions(args: string[]): { host: string; port: number } {
  let values: { port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  const port = Number(values.port ?? '0');
  if (!/^\d{1,5}$/.test(values.port ?? '0') || port > 65535) {
    fail(`--port must be a number from 0 to 65535 (0 picks a free port), not ${values.port}`);
  }
  const host = values.host ?? '127.0.0.1';
  if (host === '') fail('--host must not be empty');
  return { host, port };
}

function fail(message: string): never {
  process.stderr.write(`VirtDeck web host: ${message}\n`);
  process.exit(2);
}

main().catch((err: unknown) => {
  // The message alone for what the user can fix (not built, port taken), the detail after.
  const message = err instanceof Error ? err.message : inspect(err);
  const cause =
    err instanceof Error && err.cause !== undefined ? `\n  cause: ${inspect(err.cause)}` : '';
  process.stderr.write(`VirtDeck web host: ${message}${cause}\n`);
  process.exit(1);
});
