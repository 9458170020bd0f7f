/**
 * `npm run bench:console`: the console bridge against a direct TCP connection to the same
 * VNC port of a real (paused, so every frame is the same) TCG guest — throughput of
 * full-screen Raw updates and the round trip of the smallest request — locally and over a
 * loopback OpenSSH server, side by side. A benchmark, not a test: MISS still exits 0.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ConsoleOpenResult } from '../../shared/contract/consoles';
import { APP_HOST, APP_SCHEME } from '../../electron/config/app-origin';
import { ConsoleServer } from '../../electron/consoles/console-server';
import { connectionHostLinks } from '../../electron/consoles/host-links';
import { LibvirtClient } from '../../electron/libvirt/client/libvirt-client';
import {
  domainDefineXml,
  domainDestroy,
  domainStart,
  domainSuspend,
  domainUndefine,
  type DomainRef,
} from '../../electron/libvirt/facade/domain';
import { createServices, type Services } from '../../electron/services';
import { startLoopbackSshd, type LoopbackSshd } from '../../test/harness/loopback-sshd';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../../test/harness/private-libvirtd';
import { firmwareVncGuestXml } from '../../test/harness/test-guests';
import { streamChannel, tcpChannel, wsChannel, type ByteChannel } from './byte-channel';
import { formatConsoleReport, type PathResult } from './console-bench-report';
import { fullFrames, pings, rfbHandshake } from './rfb-load';

const ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

interface Options {
  rounds: number;
  frames: number;
  pings: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      frames: { type: 'string', default: '40' },
      pings: { type: 'string', default: '300' },
    },
  });
  const int = (v: string | undefined, name: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  return {
    rounds: int(values.rounds, 'rounds'),
    frames: int(values.frames, 'frames'),
    pings: int(values.pings, 'pings'),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function progress(text: string): void {
  process.stderr.write(`… ${text}\n`);
}

interface Contender {
  name: string;
  baseline: string | null;
  targets: boolean;
  open(): Promise<ByteChannel>;
}

async function ticketChannel(
  services: Services,
  server: ConsoleServer,
  connectionId: string,
  uuid: string,
): Promise<ByteChannel> {
  const result: ConsoleOpenResult = await services.consoles.service.open({
    connectionId,
    uuid,
    device: { kind: 'graphics', index: 0 },
  });
  if (result.status !== 'ready') throw new Error(`console unavailable: ${result.message}`);
  return wsChannel(`${server.wsOrigin}${result.ticket.path}`, ORIGIN);
}

const cleanups: Array<() => Promise<unknown>> = [];

/** Stops what the bench started (guest, daemons, sshd), newest first; also on Ctrl+C. */
async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((err: unknown) => progress(`cleanup: ${(err as Error).message}`));
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const opts = options();
  let daemon: PrivateLibvirtd | null = null;
  try {
    progress('starting a private libvirtd');
    daemon = await startPrivateLibvirtd({ idleTimeoutSec: 900 });
    cleanups.push(() => (daemon as PrivateLibvirtd).stop());
    const qemuUri = daemon.uri('qemu');
    const client = await LibvirtClient.open(qemuUri);
    cleanups.push(() => client.close());
    const uuid = randomUUID();
    const defined = await domainDefineXml(
      client,
      firmwareVncGuestXml({ name: `bench-console-${uuid.slice(0, 6)}`, uuid }),
    );
    cleanups.push(() => domainUndefine(client, defined));
    let dom: DomainRef = await domainStart(client, defined);
    cleanups.push(() => domainDestroy(client, dom).catch(() => undefined));
    // Let SeaBIOS draw, then freeze the screen: every frame is then the same work.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await domainSuspend(client, dom);

    const scratch = await mkdtemp(path.join(tmpdir(), 'vd-bench-console-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    const home = path.join(scratch, 'home');
    const env = { PATH: process.env.PATH };
    const services = await createServices({
      hostKind: 'web',
      configDir: path.join(scratch, 'config'),
      logger: {
        info: () => undefined,
        warn: (m) => progress(`warn: ${m}`),
        error: (m) => progress(`error: ${m}`),
      },
      connections: {
        firstLaunch: false,
        libvirtConfPath: path.join(scratch, 'none.conf'),
        local: { home, env },
      },
    });
    cleanups.push(() => services.dispose());
    const server = await ConsoleServer.start({
      bridge: services.consoles.service.bridge,
      allowedOrigins: [ORIGIN],
    });
    cleanups.push(() => server.stop());
    services.consoles.service.setEndpointOrigin(server.wsOrigin);

    const local = await services.connections.add({
      alias: 'local',
      uri: qemuUri,
      autoconnect: false,
      ssh: { useAgent: false },
    });
    await services.connections.connect(local.id);
    const info = await services.consoles.service.info({ connectionId: local.id, uuid });
    const port = info.graphics[0]?.port;
    if (!port) throw new Error('the guest has no VNC port');
    dom = { ...dom, uuid: info.uuid };

    progress('starting a loopback sshd');
    const sshd: LoopbackSshd = await startLoopbackSshd();
    cleanups.push(() => sshd.stop());
    await mkdir(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
    await writeFile(path.join(home, '.ssh', 'known_hosts'), `${sshd.knownHostsLine}\n`);
    const socket = encodeURIComponent(daemon.socketPath).replaceAll('%2F', '/');
    const remote = await services.connections.add({
      alias: 'ssh',
      uri: `qemu+ssh://${sshd.user}@127.0.0.1:${sshd.port}/session?socket=${socket}`,
      autoconnect: false,
      ssh: { useAgent: false, identityFile: sshd.clientKeyPath },
    });
    await services.connections.connect(remote.id);
    const links = connectionHostLinks({ connections: services.connections, home, env });

    const contenders: Contender[] = [
      { name: 'direct TCP', baseline: null, targets: false, open: () => tcpChannel(port) },
      {
        name: 'bridge (local)',
        baseline: 'direct TCP',
        targets: true,
        open: () => ticketChannel(services, server, local.id, uuid),
      },
      {
        name: 'SSH channel, no bridge',
        baseline: 'direct TCP',
        targets: false,
        open: async () => {
          const link = links.link(remote.id);
          if (!link) throw new Error('the SSH connection is down');
          const lease = await link.sshSession();
          const stream = await lease.session.forwardOut('127.0.0.1', 0, '127.0.0.1', port);
          stream.once('close', lease.release);
          return streamChannel(stream);
        },
      },
      {
        name: 'bridge over SSH',
        baseline: 'direct TCP',
        targets: false,
        open: () => ticketChannel(services, server, remote.id, uuid),
      },
    ];

    const samples = new Map(
      contenders.map((c) => [c.name, { throughput: [] as number[], rtt: [] as number[] }]),
    );
    // Round robin: load on the machine hits every path alike, not whichever ran last.
    for (let round = 0; round <= opts.rounds; round++) {
      progress(round === 0 ? 'warm-up round' : `round ${round}/${opts.rounds}`);
      for (const contender of contenders) {
        const channel = await contender.open();
        const session = await rfbHandshake(channel);
        const frames = await fullFrames(session, opts.frames);
        const rtts = await pings(session, opts.pings);
        channel.close();
        if (round === 0) continue;
        const entry = samples.get(contender.name)!;
        entry.throughput.push(frames.bytes / frames.seconds);
        entry.rtt.push(median(rtts));
      }
    }

    const rows: PathResult[] = contenders.map((c) => {
      const s = samples.get(c.name)!;
      return {
        name: c.name,
        baseline: c.baseline,
        targets: c.targets,
        throughput: median(s.throughput),
        rttMs: median(s.rtt),
      };
    });
    const header = [
      'VirtDeck console bridge vs direct TCP to the same VNC port (paused TCG guest, Raw encoding)',
      `  screen ${info.graphics[0]?.type} on 127.0.0.1:${port}; ${opts.rounds} rounds × ${opts.frames} full frames + ${opts.pings} round trips each (medians)`,
      `  ${availableParallelism()} CPUs, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; node ${process.version}`,
      '  targets (local bridge): ≥ 95 % of direct throughput, ≤ 1 ms added round trip',
    ];
    process.stdout.write(formatConsoleReport(rows, header));
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench:console failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
