import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openPythonBench,
  parseRunSample,
  parseWorkerLine,
  type PythonBench,
} from '../../../bench/rpc/python-bench';
import { benchDomainName, testNodeXml } from '../../../bench/rpc/test-node-xml';

const PYTHON = '/usr/bin/python3';

describe('python worker answers', () => {
  it('turns a worker error line into an Error with libvirt’s code and domain', () => {
    expect(() =>
      parseWorkerLine('{"error": "Domain not found", "code": 42, "domain": 10}'),
    ).toThrow(/Domain not found \(libvirt code 42, domain 10\)/);
  });

  it('rejects non-objects and samples without positive times', () => {
    expect(() => parseWorkerLine('[1, 2]')).toThrow(/not a JSON object/);
    expect(() => parseRunSample({ seconds: 0, cpuSeconds: 0 })).toThrow(/non-positive/);
    expect(() => parseRunSample({ seconds: 0.1 })).toThrow(/cpuSeconds/);
    expect(parseRunSample({ seconds: 0.25, cpuSeconds: 0.1 })).toEqual({
      seconds: 0.25,
      clientCpuSeconds: 0.1,
    });
  });
});

// libvirt-python opens test:///<file> in-process, so the worker runs for real without a daemon.
const hasLibvirtPython =
  existsSync(PYTHON) && existsSync('/usr/lib/python3/dist-packages/libvirt.py');

describe.skipIf(!hasLibvirtPython)('bench-libvirt-python.py worker (python3-libvirt)', () => {
  let dir: string;
  let uri: string;
  let bench: PythonBench;
  const names = Array.from({ length: 12 }, (_, i) => benchDomainName(i + 1));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vd-bench-py-'));
    const file = join(dir, 'node.xml');
    await writeFile(file, testNodeXml({ count: names.length, imageDir: dir }));
    uri = `test://${file}`;
    bench = await openPythonBench({ uri, names, threads: [3] }, PYTHON);
  });
  afterAll(async () => {
    await bench?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports versions from the library and the connection', () => {
    expect(bench.pythonVersion).toMatch(/^3\.\d+\.\d+$/);
    expect(bench.libvirtPythonVersion).toBeGreaterThanOrEqual(1_000_000);
    expect(bench.daemonLibVersion).toBeGreaterThanOrEqual(1_000_000);
  });

  it('times each scenario', async () => {
    for (const contender of [bench.sequential, ...bench.concurrent, bench.stats]) {
      const sample = await contender.run();
      expect(sample.seconds).toBeGreaterThan(0);
      expect(sample.clientCpuSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(bench.concurrent.map((c) => c.variant)).toEqual(['3 threads, one virConnect']);
    // The test driver's bulk stats report state.state and state.reason per domain.
    expect(bench.statsParams).toBe(names.length * 2);
  });

  it('fails loudly for a domain that does not exist', async () => {
    const broken = await openPythonBench({ uri, names: ['no-such-domain'], threads: [] }, PYTHON);
    try {
      await expect(broken.sequential.run()).rejects.toThrow(/Domain not found.*libvirt code 42/);
    } finally {
      await broken.close();
    }
  });

  it('says which interpreter is missing', async () => {
    await expect(
      openPythonBench({ uri, names, threads: [] }, '/nonexistent/python3'),
    ).rejects.toThrow(/\/nonexistent\/python3 not found/);
  });
});
