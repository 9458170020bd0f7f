/**
 * `npm run fuzz -- [--iterations N] [--seed S|random]`: runs every test/fuzz/*.fuzz.ts
 * module's `run(iterations, seed)` and exits non-zero when any reports a failure. The
 * default seed is fixed so CI is repeatable; `--seed random` explores and prints its seed.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface FuzzModule {
  run(iterations: number, seed: number): Promise<{ iterations: number; failures: string[] }>;
}

const DEFAULT_ITERATIONS = 200_000;
const DEFAULT_SEED = 0x5eed;

function isFuzzModule(m: unknown): m is FuzzModule {
  return typeof m === 'object' && m !== null && typeof (m as { run?: unknown }).run === 'function';
}

function parseCount(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`--${what} must be a non-negative integer, got '${text}'`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { iterations: { type: 'string' }, seed: { type: 'string' } },
    strict: true,
  });
  const iterations = parseCount(values.iterations, DEFAULT_ITERATIONS, 'iterations');
  const seed =
    values.seed === 'random'
      ? (Date.now() ^ (process.pid << 16)) >>> 0
      : parseCount(values.seed, DEFAULT_SEED, 'seed');
  const dir = dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.fuzz.ts'))
    .sort();
  if (files.length === 0) throw new Error(`no *.fuzz.ts modules in ${dir}`);

  let failed = 0;
  for (const file of files) {
    const mod: unknown = await import(pathToFileURL(join(dir, file)).href);
    if (!isFuzzModule(mod)) {
      console.error(`${file}: does not export run(iterations, seed)`);
      failed++;
      continue;
    }
    const started = Date.now();
    const result = await mod.run(iterations, seed);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (result.failures.length === 0) {
      console.log(
        `${file}: ${result.iterations} iterations, seed ${seed}, no failures (${secs} s)`,
      );
    } else {
      failed++;
      console.error(`${file}: ${result.failures.length} failures (seed ${seed}, ${secs} s):`);
      for (const f of result.failures) console.error(`  ${f}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof Error) console.error(`run-fuzz: ${err.message}`);
    else console.error('run-fuzz: failed:', err);
    process.exitCode = 1;
  },
);
