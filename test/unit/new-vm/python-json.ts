import { spawnSync } from 'node:child_process';

/**
 * Runs a Python 3 snippet that reads JSON on stdin and prints JSON: the reference
 * implementations our hand-written formats are checked against (glibc's crypt(3) through
 * Python's `crypt`, PyYAML — the parser cloud-init uses — and Python's MIME parser, which
 * cloud-init splits multipart user-data with).
 */
export function runPython<T>(script: string, input: unknown): T {
  const r = spawnSync('python3', ['-W', 'ignore', '-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`python3 failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Whether `python3` can import every module named (else the test says why it skips). */
export function pythonHas(...modules: string[]): boolean {
  const r = spawnSync(
    'python3',
    ['-W', 'ignore', '-c', modules.map((m) => `import ${m}`).join('; ')],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return !r.error && r.status === 0;
}
