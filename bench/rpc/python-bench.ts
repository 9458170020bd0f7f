import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Contender, RunSample } from './contender';

export interface PythonBenchJob {
  uri: string;
  names: readonly string[];
  /** Worker-thread counts for (b), each pool sharing the single virConnect. */
  threads: readonly number[];
}

export interface PythonVersions {
  pythonVersion: string;
  /** libvirt-python's own libvirt (client library) version. */
  libvirtPythonVersion: number;
  daemonLibVersion: number;
}

export interface PythonBench extends PythonVersions {
  sequential: Contender;
  concurrent: Contender[];
  stats: Contender;
  readonly statsParams: number;
  close(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./bench-libvirt-python.py', import.meta.url));
/**
 * Debian's python3-libvirt sits in the system interpreter's dist-packages; a `python3`
 * found earlier in PATH (pyenv, a venv) would not see it.
 */
const DEFAULT_PYTHON = '/usr/bin/python3';

type Json = Record<string, unknown>;

function finiteNumber(o: Json, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new Error(`python bench: field ${key} is not a number in ${JSON.stringify(o)}`);
  }
  return v;
}

/** One answer line → object; the worker's {"error": …} becomes a thrown Error. */
export function parseWorkerLine(line: string): Json {
  const v: unknown = JSON.parse(line);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new Error(`python bench: not a JSON object: ${line.slice(0, 200)}`);
  }
  const o = v as Json;
  if ('error' in o) {
    const where =
      typeof o.code === 'number' ? ` (libvirt code ${o.code}, domain ${String(o.domain)})` : '';
    throw new Error(`python bench: ${String(o.error)}${where}`);
  }
  return o;
}

export function parseRunSample(o: Json): RunSample {
  const seconds = finiteNumber(o, 'seconds');
  const clientCpuSeconds = finiteNumber(o, 'cpuSeconds');
  if (seconds <= 0) throw new Error(`python bench: non-positive time ${seconds}`);
  return { seconds, clientCpuSeconds };
}

/** The child process and a strictly one-at-a-time request/answer exchange with it. */
class WorkerProcess {
  private readonly lines: AsyncIterator<string>;
  private readonly stderr: Buffer[] = [];
  private exited: string | null = null;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on('data', (b: Buffer) => this.stderr.push(b));
    // EPIPE after the worker died: the missing answer already reports it, with its stderr.
    child.stdin.on('error', () => {});
    child.once('exit', (code, signal) => (this.exited = `exited with ${code ?? signal}`));
    this.lines = createInterface({ input: child.stdout, crlfDelay: Infinity })[
      Symbol.asyncIterator
    ]();
  }

  async request(command: Json): Promise<Json> {
    if (this.exited) throw new Error(`python bench worker ${this.exited}: ${this.stderrText()}`);
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    return this.next();
  }

  async next(): Promise<Json> {
    const { value, done } = await this.lines.next();
    if (done) {
      throw new Error(`python bench worker ended without an answer: ${this.stderrText()}`);
    }
    return parseWorkerLine(value);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exit = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end(`${JSON.stringify({ op: 'quit' })}\n`);
    const timer = setTimeout(() => this.child.kill('SIGTERM'), 10_000);
    await exit;
    clearTimeout(timer);
  }

  private stderrText(): string {
    return Buffer.concat(this.stderr).toString('utf8').trim() || '(no stderr)';
  }
}

/**
 * Starts bench-libvirt-python.py as a worker on `job.uri`. Runs are requested one at a
 * time, interleaved with ours by the round-robin runner.
 */
export async function openPythonBench(
  job: PythonBenchJob,
  python = process.env.VIRTDECK_BENCH_PYTHON ?? DEFAULT_PYTHON,
): Promise<PythonBench> {
  if (!existsSync(python)) {
    throw new Error(`${python} not found: install python3-libvirt (or set VIRTDECK_BENCH_PYTHON)`);
  }
  const child = spawn(python, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const worker = new WorkerProcess(child);
  let statsParams = 0;
  try {
    child.stdin.write(`${JSON.stringify({ uri: job.uri, names: job.names })}\n`);
    const hello = await worker.next();
    const pythonVersion = hello.pythonVersion;
    if (typeof pythonVersion !== 'string') throw new Error('python bench: no pythonVersion');
    const base = { client: 'libvirt-python' } as const;
    const run = async (command: Json): Promise<RunSample> =>
      parseRunSample(await worker.request(command));
    return {
      pythonVersion,
      libvirtPythonVersion: finiteNumber(hello, 'libvirtPythonVersion'),
      daemonLibVersion: finiteNumber(hello, 'daemonLibVersion'),
      sequential: {
        ...base,
        scenario: 'a',
        variant: 'one virConnect',
        run: () => run({ op: 'sequential' }),
      },
      concurrent: job.threads.map((threads): Contender => ({
        ...base,
        scenario: 'b',
        variant: `${threads} threads, one virConnect`,
        run: () => run({ op: 'concurrent', threads }),
      })),
      stats: {
        ...base,
        scenario: 'c',
        variant: 'conn.getAllDomainStats()',
        run: async () => {
          const answer = await worker.request({ op: 'stats' });
          statsParams = finiteNumber(answer, 'params');
          return parseRunSample(answer);
        },
      },
      get statsParams() {
        return statsParams;
      },
      close: () => worker.close(),
    };
  } catch (err) {
    await worker.close();
    throw err;
  }
}
