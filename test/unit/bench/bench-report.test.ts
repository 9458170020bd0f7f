import { describe, expect, it } from 'vitest';
import {
  buildTargets,
  formatLibvirtVersion,
  formatReport,
  toRow,
  type BenchReport,
  type ScenarioRow,
} from '../../../bench/rpc/bench-report';
import type { Client, Contender, Scenario } from '../../../bench/rpc/contender';

function row(
  scenario: Scenario,
  client: Client,
  variant: string,
  seconds: number[],
  daemonCpuSeconds: number[] = seconds.map(() => 0.01),
): ScenarioRow {
  const contender: Contender = {
    scenario,
    client,
    variant,
    run: () => Promise.reject(new Error('not run in this test')),
  };
  const samples = seconds.map((s) => ({ seconds: s, clientCpuSeconds: s / 2 }));
  return toRow({ contender, samples, daemonCpuSeconds }, 1000);
}

describe('bench report', () => {
  it('formats libvirt versions', () => {
    expect(formatLibvirtVersion(9_000_000)).toBe('9.0.0');
    expect(formatLibvirtVersion(10_010_002)).toBe('10.10.2');
  });

  it('compares fastest runs separately from medians', () => {
    const rows = [
      row('a', 'virtdeck', 'one connection', [0.4, 0.2, 0.5]),
      row('a', 'libvirt-python', 'one virConnect', [0.8, 0.3, 0.4]),
      row('b', 'virtdeck', '1 connection (≤4 in flight)', [0.2]),
      row('b', 'libvirt-python', '8 threads, one virConnect', [0.2]),
      row('c', 'virtdeck', 'x', [1]),
      row('c', 'libvirt-python', 'y', [1]),
    ];
    const a = buildTargets(rows, 2)[0];
    expect(a?.ratio).toBeCloseTo(1); // medians 0.4 vs 0.4
    expect(a?.bestRunRatio).toBeCloseTo(1.5); // fastest 0.2 vs 0.3
  });

  it('rows: rate from the median, CPU as median (client) and mean (daemon)', () => {
    const r = row('a', 'virtdeck', 'one connection', [0.5, 0.4, 0.6], [0.2, 0.3, 0.7]);
    expect(r.summary.perSecond).toBeCloseTo(2000);
    expect(r.clientCpuMs).toBeCloseTo(250);
    expect(r.daemonCpuMs).toBeCloseTo(400);
    expect(row('c', 'virtdeck', 'bulk', [0.004]).summary.perSecond).toBeCloseTo(250);
  });

  it('judges (b) on our single connection against python’s fastest pool', () => {
    const rows = [
      row('a', 'virtdeck', 'one connection', [0.4]),
      row('a', 'libvirt-python', 'one virConnect', [0.5]),
      row('b', 'virtdeck', '1 connection (≤4 in flight)', [0.2]),
      row('b', 'virtdeck', 'pool of 4 connections', [0.05]),
      row('b', 'libvirt-python', '4 threads, one virConnect', [0.3]),
      row('b', 'libvirt-python', '16 threads, one virConnect', [0.15]),
      row('c', 'virtdeck', 'facade', [0.006]),
      row('c', 'libvirt-python', 'conn.getAllDomainStats()', [0.005]),
    ];
    const [a, b, c] = buildTargets(rows, 2);
    expect(a).toMatchObject({ pass: true, required: 1 });
    expect(a?.ratio).toBeCloseTo(1.25);
    expect(a?.bestRunRatio).toBeCloseTo(1.25);
    expect(b).toMatchObject({
      pass: false,
      ours: '1 connection (≤4 in flight)',
      theirs: '16 threads, one virConnect',
    });
    expect(b?.ratio).toBeCloseTo(0.75);
    expect(b?.note).toBeUndefined();
    expect(c?.pass).toBe(false);
    expect(c?.ratio).toBeCloseTo(5 / 6);
  });

  it('explains a miss that the CPU work alone makes impossible', () => {
    const rows = [
      row('a', 'virtdeck', 'x', [1]),
      row('a', 'libvirt-python', 'y', [1]),
      // our client CPU is seconds / 2 = 110 ms; libvirtd used 200 and 150 ms
      row('b', 'virtdeck', '1 connection (≤4 in flight)', [0.22], [0.2]),
      row('b', 'libvirt-python', '16 threads, one virConnect', [0.22], [0.15]),
      row('c', 'virtdeck', 'x', [1]),
      row('c', 'libvirt-python', 'y', [1]),
    ];
    // 2× needs ≤ 110 ms; floor = (cheapest libvirtd 150 + client 110) / CPUs.
    expect(buildTargets(rows, 4)[1]?.note).toBeUndefined(); // 65 ms: reachable in principle
    expect(buildTargets(rows, 2)[1]?.note).toBe(
      'out of reach on this machine: 2× needs ≤ 110 ms per run, but (libvirtd ≥ 150 ms + ' +
        'VirtDeck 110 ms of CPU per run) / 2 CPUs = 130 ms',
    );
  });

  it('prints every row and a PASS/MISS line per target', () => {
    const rows = [
      row('a', 'virtdeck', 'one connection', [0.4]),
      row('a', 'libvirt-python', 'one virConnect', [0.5]),
      row('b', 'virtdeck', '1 connection (≤4 in flight)', [0.2]),
      row('b', 'libvirt-python', '8 threads, one virConnect', [0.25]),
      row('c', 'virtdeck', 'facade connectGetAllDomainStats', [0.004]),
      row('c', 'libvirt-python', 'conn.getAllDomainStats()', [0.005]),
    ];
    const report: BenchReport = {
      environment: {
        node: 'v20.0.0',
        daemonLibVersion: 9_000_000,
        libvirtPythonVersion: 9_000_000,
        pythonVersion: '3.11.2',
        socket: '/tmp/x/libvirt-sock',
        uri: 'test+unix:///tmp/x/node.xml?socket=/tmp/x/libvirt-sock',
        daemonPid: 42,
        domains: 1000,
        warmup: 3,
        repeats: 7,
        statsRepeats: 15,
        cpus: 2,
        loadAverage: 1.5,
      },
      rows,
      targets: buildTargets(rows, 2),
      statsParams: { virtdeck: 2000, libvirtPython: 2000 },
    };
    const text = formatReport(report);
    expect(text).toContain('node v20.0.0 · libvirtd 9.0.0 (pid 42)');
    expect(text).toContain('socket /tmp/x/libvirt-sock');
    expect(text).toContain('1000 running test-driver domains');
    expect(text).toMatch(/one connection\s+virtdeck\s+400\.00/);
    expect(text).toMatch(/PASS {2}\(a\) sequential lookup\+getInfo: 1\.25×/);
    expect(text).toMatch(
      /MISS {2}\(b\) concurrent lookup\+getInfo: 1\.25× \(target ≥ 2×; fastest runs 1\.25×\)/,
    );
    expect(text).toMatch(/PASS {2}\(c\) bulk stats, no slower: 1\.25×/);
  });
});
