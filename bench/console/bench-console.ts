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
import { Worker } from 'node:worker_threads';
import type { ConsoleOpenResult } from '../../shared/contract/consoles';
import { APP_HOST, APP_SCHEME } from '../../electron/config/app-origin';
import { ConsoleServer } from '../../electron/consoles/console-server';
import { graphicsOpener } from '../../electron/consoles/console-upstreams';
import { connectionHostLinks } from '../../electron/consoles/host-links';
import { LocalPortForward } from '../../electron/consoles/local-port-forward';
import { LibvirtClient } from '../../electron/libvirt/client/libvirt-client';
import {
  domainDefineXml,
  domainDestroy,
  domainStart,
  domainUndefine,
  type DomainRef,
} from '../../electron/libvirt/facade/domain';
import { createServices, type Services } from '../../electron/services';
import { startLoopbackSshd, type LoopbackSshd } from '../../test/harness/loopback-sshd';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../../test/harness/private-libvirtd';
import { firmwareVncGuestXml } from '../../test/harness/test-guests';
import { formatConsoleReport, type PathResult } from './console-bench-report';
import type { MeasureRequest, MeasureResult, MeasureTarget } from './measure-worker';

const ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

interface Options {
  rounds: number;
  frames: number;
  pings: number;
  megabytes: number;
  chunkKib: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      frames: { type: 'string', default: '40' },
      pings: { type: 'string', default: '300' },
      megabytes: { type: 'string', default: '64' },
      'chunk-kib': { type: 'string', default: '64' },
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
    megabytes: int(values.megabytes, 'megabytes'),
    chunkKib: int(values['chunk-kib'], 'chunk-kib'),
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
  /** A fresh place for the client to connect to (a new ticket for the bridge). */
  target(): Promise<MeasureTarget>;
}

async function ticketTarget(
  services: Services,
  server: ConsoleServer,
  connectionId: string,
  uuid: string,
  masked = false,
): Promise<MeasureTarget> {
  const result: ConsoleOpenResult = await services.consoles.service.open({
    connectionId,
    uuid,
    device: { kind: 'graphics', index: 0 },
  });
  if (result.status !== 'ready') throw new Error(`console unavailable: ${result.message}`);
  return { kind: 'ws', url: `${server.wsOrigin}${result.ticket.path}`, origin: ORIGIN, masked };
}

/** Runs one measurement's client in a worker thread. */
function measureInWorker(request: MeasureRequest): Promise<MeasureResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./measure-worker-entry.mjs', import.meta.url), {
      workerData: request,
    });
    worker.once(
      'message',
      (message: { ok: true; result: MeasureResult } | { ok: false; message: string }) => {
        if (message.ok) resolve(message.result);
        else reject(new Error(message.message));
      },
    );
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`measurement worker exited with ${code}`));
    });
  });
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
    // The guest keeps running: SeaBIOS redraws and reboots every 3 s, so QEMU keeps sending
    // frames at its fastest pace (a still screen slows its refresh timer down to 3 s).
    await new Promise((resolve) => setTimeout(resolve, 2000));

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

    // remote-viewer's path: a local port forwarded over the host's SSH session, no WebSocket.
    const sshLink = links.link(remote.id);
    if (!sshLink) throw new Error('the SSH connection is down');
    const viewerForward = await LocalPortForward.start({
      opener: graphicsOpener(sshLink, { kind: 'tcp', host: '127.0.0.1', port }, 'ssh'),
      idleMs: 3_600_000,
      logger: services.logger,
      onClosed: () => undefined,
    });
    cleanups.push(async () => viewerForward.close());
    const contenders: Contender[] = [
      {
        name: 'direct TCP',
        baseline: null,
        targets: false,
        target: async () => ({ kind: 'tcp', port }),
      },
      {
        name: 'bridge (local)',
        baseline: 'direct TCP',
        targets: true,
        target: () => ticketTarget(services, server, local.id, uuid),
      },
      {
        name: 'bridge (local), real masks',
        baseline: 'direct TCP',
        targets: false,
        target: () => ticketTarget(services, server, local.id, uuid, true),
      },
      {
        name: 'SSH forward, no bridge',
        baseline: 'direct TCP',
        targets: false,
        target: async () => ({ kind: 'tcp', port: viewerForward.port }),
      },
      {
        name: 'bridge over SSH',
        baseline: 'direct TCP',
        targets: false,
        target: () => ticketTarget(services, server, remote.id, uuid),
      },
    ];

    const samples = new Map(
      contenders.map((c) => [
        c.name,
        { throughput: [] as number[], frames: [] as number[], rtt: [] as number[] },
      ]),
    );
    // Round robin: load on the machine hits every path alike, not whichever ran last.
    for (let round = 0; round <= opts.rounds; round++) {
      progress(round === 0 ? 'warm-up round' : `round ${round}/${opts.rounds}`);
      for (const contender of contenders) {
        progress(`  ${contender.name}`);
        const result = await measureInWorker({
          target: await contender.target(),
          megabytes: opts.megabytes,
          chunkBytes: opts.chunkKib * 1024,
          pings: opts.pings,
          frames: opts.frames,
        });
        if (round === 0) continue;
        const entry = samples.get(contender.name);
        if (!entry) throw new Error(`no samples for ${contender.name}`);
        entry.throughput.push(result.bulkBytesPerSecond);
        entry.frames.push(result.frameBytesPerSecond);
        entry.rtt.push(result.rttMedianMs);
      }
    }

    const rows: PathResult[] = contenders.map((c) => {
      const s = samples.get(c.name) ?? { throughput: [0], frames: [0], rtt: [0] };
      return {
        name: c.name,
        baseline: c.baseline,
        targets: c.targets,
        throughput: median(s.throughput),
        frameRate: median(s.frames),
        rttMs: median(s.rtt),
      };
    });
    const header = [
      'VirtDeck console bridge vs direct TCP to the same VNC port (running TCG guest, SeaBIOS)',
      `  VNC on 127.0.0.1:${port}; ${opts.rounds} rounds (medians), each: ${opts.megabytes} MiB bulk in ${opts.chunkKib} KiB messages, ${opts.pings} round trips, ${opts.frames} full frames`,
      '  bulk: ClientCutText to QEMU, which reads as fast as it can; WebSocket frames with an all-zero mask',
      '    except "real masks" (the client runs in a worker thread, as a browser is its own process)',
      "  RTT: SetEncodings and QEMU's immediate 16-byte acknowledgement",
      "  frames: full-screen Raw updates, paced by QEMU's refresh timer (shown, not judged)",
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
