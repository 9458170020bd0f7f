/**
 * `npm run bench:rpc`: VirtDeck's libvirt RPC client against libvirt-python, side by side,
 * on one private libvirtd serving a test-driver host of N running domains. A benchmark, not
 * a test: a missed target prints MISS and still exits 0; only errors exit non-zero.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../../test/harness/private-libvirtd';
import { BENCH_USAGE, parseBenchOptions, type BenchOptions } from './bench-options';
import { buildTargets, formatReport, toRow, type BenchReport } from './bench-report';
import type { Contender } from './contender';
import { openPythonBench, type PythonBench } from './python-bench';
import { runRoundRobin } from './round-robin-runner';
import { benchDomainName, testNodeXml } from './test-node-xml';
import { openVirtdeckBench, type VirtdeckBench } from './virtdeck-bench';

function progress(options: BenchOptions, text: string): void {
  // Progress goes to stderr so `--json` leaves stdout one clean document.
  if (!options.json) process.stderr.write(`… ${text}\n`);
}

/** The daemon's test-driver URI, pointed at our node file instead of /default. */
function testUriFor(daemon: PrivateLibvirtd, nodeFile: string): string {
  const defaultUri = daemon.uri('test');
  const prefix = 'test+unix:///default?';
  if (!defaultUri.startsWith(prefix)) {
    throw new Error(`unexpected test-driver URI from the harness: ${defaultUri}`);
  }
  return `test+unix://${encodeURI(nodeFile)}?${defaultUri.slice(prefix.length)}`;
}

async function measure(
  options: BenchOptions,
  daemon: PrivateLibvirtd,
  ours: VirtdeckBench,
  py: PythonBench,
): Promise<BenchReport['rows']> {
  const phases: [string, Contender[], number][] = [
    ['(a) sequential', [ours.sequential, py.sequential], options.repeats],
    ['(b) concurrent', [...ours.concurrent, ...py.concurrent], options.repeats],
    ['(c) bulk stats', [ours.stats, py.stats], options.statsRepeats],
  ];
  const rows: BenchReport['rows'] = [];
  for (const [name, contenders, repeats] of phases) {
    progress(
      options,
      `${name}: ${contenders.length} contenders × (${options.warmup} + ${repeats}) rounds`,
    );
    const results = await runRoundRobin(contenders, {
      warmup: options.warmup,
      repeats,
      daemonPid: daemon.pid,
    });
    rows.push(...results.map((r) => toRow(r, options.domains)));
  }
  return rows;
}

async function runBench(options: BenchOptions, daemon: PrivateLibvirtd): Promise<BenchReport> {
  // Inside the daemon's private folder: readable by the daemon user, removed by stop().
  const nodeFile = join(daemon.dir, 'bench-node.xml');
  const xml = testNodeXml({ count: options.domains, imageDir: join(daemon.dir, 'images') });
  await writeFile(nodeFile, xml, { mode: 0o644 });
  const uri = testUriFor(daemon, nodeFile);
  const names = Array.from({ length: options.domains }, (_, i) => benchDomainName(i + 1));

  progress(
    options,
    `opening connections (the daemon parses ${options.domains} domains per connection)`,
  );
  const ours = await openVirtdeckBench({
    uri,
    names,
    poolSizes: options.pool,
    inFlightLimits: options.inFlight,
  });
  let py: PythonBench | undefined;
  try {
    py = await openPythonBench({ uri, names, threads: options.pyThreads });
    const rows = await measure(options, daemon, ours, py);
    return {
      environment: {
        node: process.version,
        daemonLibVersion: ours.daemonLibVersion,
        libvirtPythonVersion: py.libvirtPythonVersion,
        pythonVersion: py.pythonVersion,
        socket: daemon.socketPath,
        uri,
        daemonPid: daemon.pid,
        domains: options.domains,
        warmup: options.warmup,
        repeats: options.repeats,
        statsRepeats: options.statsRepeats,
        cpus: availableParallelism(),
        loadAverage: loadavg()[0] ?? 0,
      },
      rows,
      targets: buildTargets(rows, availableParallelism()),
      statsParams: { virtdeck: ours.statsParams, libvirtPython: py.statsParams },
    };
  } finally {
    await Promise.allSettled([ours.close(), py?.close()]);
  }
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : 'bad arguments'}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }

  progress(options, 'starting a private libvirtd');
  const daemon = await startPrivateLibvirtd({ idleTimeoutSec: 600 });
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`${signal}: stopping the private libvirtd\n`);
    void daemon.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const report = await runBench(options, daemon);
    process.stdout.write(
      options.json ? `${JSON.stringify(report, null, 2)}\n` : `\n${formatReport(report)}\n`,
    );
    return 0;
  } catch (err) {
    const detail = err instanceof Error ? (err.stack ?? err.message) : JSON.stringify(err);
    process.stderr.write(`bench:rpc failed: ${detail}\n--- daemon logs ---\n${daemon.logTail()}\n`);
    return 1;
  } finally {
    await daemon.stop();
  }
}

process.exitCode = await main().catch((err: unknown) => {
  const detail = err instanceof Error ? (err.stack ?? err.message) : JSON.stringify(err);
  process.stderr.write(`bench:rpc failed: ${detail}\n`);
  return 1;
});
