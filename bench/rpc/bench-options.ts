import { MAX_TEST_DOMAINS } from './test-node-xml';

export interface BenchOptions {
  domains: number;
  /** Print one JSON document instead of the table. */
  json: boolean;
  /** Unmeasured rounds before each scenario's measured ones. */
  warmup: number;
  /** Measured rounds of (a) and (b); the median is reported. */
  repeats: number;
  /** Measured rounds (one CONNECT_GET_ALL_DOMAIN_STATS per client each) of (c). */
  statsRepeats: number;
  /** Connection counts for VirtDeck's pooled variant of (b). */
  pool: number[];
  /** Extra VirtDeck (b) variants: one connection with this in-flight limit instead of 4. */
  inFlight: number[];
  /** Thread-pool sizes for libvirt-python's (b); its best one is compared. */
  pyThreads: number[];
  help: boolean;
}

export const BENCH_USAGE = `Usage: npm run bench:rpc -- [options]

Starts a private libvirtd with a test-driver host of N running domains and measures
VirtDeck's RPC client against libvirt-python over the same socket.

  --domains N         domains in the test host (default 1000)
  --json              print one JSON document instead of the table
  --warmup N          unmeasured rounds per scenario (default 3)
  --repeats N         measured rounds for (a) and (b), median reported (default 9)
  --stats-repeats N   measured rounds for (c) (default 31)
  --pool A,B          VirtDeck connection-pool sizes for (b) (default 2,4)
  --in-flight A,B     extra VirtDeck (b) variants: one connection allowing A, B calls
                      in flight instead of the default 4 (default: none)
  --py-threads A,B    libvirt-python thread-pool sizes for (b) (default 4,8,16)
  -h, --help          this text`;

const DEFAULTS: BenchOptions = {
  domains: 1000,
  json: false,
  warmup: 3,
  repeats: 9,
  statsRepeats: 31,
  pool: [2, 4],
  inFlight: [],
  pyThreads: [4, 8, 16],
  help: false,
};

function integer(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || !/^\d+$/.test(text)) {
    throw new Error(`${flag} needs a whole number, got ${text ?? 'nothing'}`);
  }
  const n = Number(text);
  if (n < min || n > max) throw new Error(`${flag} must be in ${min} … ${max}, got ${n}`);
  return n;
}

function integerList(flag: string, text: string | undefined, min: number, max: number): number[] {
  if (text === undefined) throw new Error(`${flag} needs a comma-separated list of numbers`);
  const list = text.split(',').map((part) => integer(flag, part.trim(), min, max));
  return [...new Set(list)];
}

/** `--flag value` and `--flag=value` both work; unknown flags are errors, not ignored. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    ...DEFAULTS,
    pool: [...DEFAULTS.pool],
    inFlight: [...DEFAULTS.inFlight],
    pyThreads: [...DEFAULTS.pyThreads],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    const noValue = (): void => {
      if (inline !== undefined) throw new Error(`${flag} takes no value, got ${arg}`);
    };
    switch (flag) {
      case '--domains':
        options.domains = integer(flag, value(), 1, MAX_TEST_DOMAINS);
        break;
      case '--json':
        noValue();
        options.json = true;
        break;
      case '--warmup':
        options.warmup = integer(flag, value(), 0, 100);
        break;
      case '--repeats':
        options.repeats = integer(flag, value(), 1, 1000);
        break;
      case '--stats-repeats':
        options.statsRepeats = integer(flag, value(), 1, 1000);
        break;
      case '--pool':
        options.pool = integerList(flag, value(), 2, 16);
        break;
      case '--in-flight':
        options.inFlight = integerList(flag, value(), 1, 64);
        break;
      case '--py-threads':
        options.pyThreads = integerList(flag, value(), 1, 256);
        break;
      case '-h':
      case '--help':
        noValue();
        options.help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}\n\n${BENCH_USAGE}`);
    }
  }
  return options;
}
