import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeFailure } from '../../harness/run-command';
import { runVirsh } from '../../harness/run-virsh';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import { both, ensureVdctlBuilt, vdctl } from './vdctl-cli';

/**
 * The read-only commands print what virsh prints, byte for byte, on the same daemon. The
 * only normalisation: `CPU time:` of a running guest (it moves between the two calls) is
 * compared by format, not value.
 */
const { qemuUri, testUri, dir } = inject('libvirtd');
const tag = randomUUID().slice(0, 6);
// Mixed case and lengths: virsh sorts shut-off guests case-insensitively, and the table
// columns must widen for the long name.
const guests = [
  { name: `vdctl-b-${tag}`, uuid: randomUUID(), start: true },
  { name: `VDCTL-a-${tag}`, uuid: randomUUID(), start: false },
  { name: `vdctl-c-${tag}-with-a-much-longer-name`, uuid: randomUUID(), start: false },
];
const pool = `vdctl-pool-${tag}`;
const network = `vdctl-net-${tag}`;

async function virshOk(uri: string, args: string[]): Promise<void> {
  const r = await runVirsh(uri, args);
  if (r.code !== 0) throw new Error(describeFailure(`virsh ${args.join(' ')}`, r));
}

function expectSame(r: Awaited<ReturnType<typeof both>>, what: string): void {
  expect(r.theirs.code, `virsh ${what}: ${r.theirs.stderr}`).toBe(0);
  expect(r.ours.stderr, `vdctl ${what}`).toBe('');
  expect(r.ours.code, `vdctl ${what}`).toBe(0);
  expect(r.ours.stdout, `vdctl ${what}`).toBe(r.theirs.stdout);
}

const CPU_TIME = /^CPU time: +\d+\.\ds$/m;

describe('vdctl read commands match virsh', () => {
  let xmlDir = '';

  beforeAll(async () => {
    await ensureVdctlBuilt();
    xmlDir = await mkdtemp(join(tmpdir(), 'vdctl-read-'));
    for (const g of guests) {
      const file = join(xmlDir, `${g.name}.xml`);
      await writeFile(file, firmwareVncGuestXml({ name: g.name, uuid: g.uuid }));
      await virshOk(qemuUri, ['define', file]);
      if (g.start) await virshOk(qemuUri, ['start', g.name]);
    }
    // A directory pool with two volumes, in the daemon's own folder (it runs unprivileged).
    await virshOk(qemuUri, ['pool-define-as', pool, 'dir', '--target', join(dir, pool)]);
    await virshOk(qemuUri, ['pool-build', pool]);
    await virshOk(qemuUri, ['pool-start', pool]);
    await virshOk(qemuUri, ['vol-create-as', pool, 'disk-b.raw', '1M', '--format', 'raw']);
    await virshOk(qemuUri, ['vol-create-as', pool, 'Disk-A.qcow2', '1M', '--format', 'qcow2']);
    // An inactive network: session daemons can define one, not start it.
    const netXml = join(xmlDir, 'net.xml');
    await writeFile(
      netXml,
      `<network><name>${network}</name><uuid>${randomUUID()}</uuid><bridge name='vdbr${tag.slice(0, 4)}'/></network>\n`,
    );
    await virshOk(qemuUri, ['net-define', netXml]);
  });

  afterAll(async () => {
    for (const g of guests) {
      await runVirsh(qemuUri, ['destroy', g.name]);
      await runVirsh(qemuUri, ['undefine', g.name]);
    }
    await runVirsh(qemuUri, ['pool-destroy', pool]);
    await runVirsh(qemuUri, ['pool-delete', pool]);
    await runVirsh(qemuUri, ['pool-undefine', pool]);
    await runVirsh(qemuUri, ['net-undefine', network]);
    if (xmlDir) await rm(xmlDir, { recursive: true, force: true });
  });

  for (const [driver, uri] of [
    ['qemu', qemuUri],
    ['test', testUri],
  ] as const) {
    describe(`on the ${driver} driver`, () => {
      for (const args of [
        ['list'],
        ['list', '--all'],
        ['list', '--inactive'],
        ['list', '--all', '--name'],
        ['net-list'],
        ['net-list', '--all'],
        ['pool-list'],
        ['pool-list', '--all'],
        ['nodeinfo'],
        ['capabilities'],
      ]) {
        it(args.join(' '), async () => {
          expectSame(await both(uri, args), args.join(' '));
        });
      }
    });
  }

  it('list --all shows our guests in virsh order with the long name widening the table', async () => {
    const r = await both(qemuUri, ['list', '--all']);
    const ours = r.ours.stdout.split('\n').filter((l) => l.includes(tag));
    expect(ours.map((l) => l.trim().split(/\s+/)[1])).toEqual([
      guests[0]!.name, // running first
      guests[1]!.name, // then shut off, case-insensitively by name
      guests[2]!.name,
    ]);
    expect(r.ours.stdout).toBe(r.theirs.stdout);
  });

  it('dominfo of a running and of a shut-off guest', async () => {
    for (const g of guests) {
      const r = await both(qemuUri, ['dominfo', g.name]);
      expect(r.ours.code).toBe(0);
      const normalise = (s: string) => s.replace(CPU_TIME, 'CPU time: (n)');
      if (g.start) expect(r.ours.stdout).toMatch(CPU_TIME);
      expect(normalise(r.ours.stdout)).toBe(normalise(r.theirs.stdout));
    }
    const test = await both(testUri, ['dominfo', 'test']);
    expect(test.ours.stdout.replace(CPU_TIME, '')).toBe(test.theirs.stdout.replace(CPU_TIME, ''));
  });

  it('dominfo by UUID and by ID finds the same domain as virsh', async () => {
    const running = guests[0]!;
    const id = (await runVirsh(qemuUri, ['domid', running.name])).stdout.trim();
    for (const key of [running.uuid, id]) {
      const r = await both(qemuUri, ['dominfo', key]);
      expect(r.theirs.code).toBe(0);
      expect(r.ours.stdout.replace(CPU_TIME, '')).toBe(r.theirs.stdout.replace(CPU_TIME, ''));
    }
    // Deliberately more lenient than virsh, which only tries the dashed form as a UUID.
    const compact = await vdctl(['-c', qemuUri, 'dominfo', running.uuid.replaceAll('-', '')]);
    expect(compact.stdout).toContain(`Name:           ${running.name}\n`);
  });

  it('dumpxml, live and inactive, with and without secrets', async () => {
    for (const args of [
      ['dumpxml', guests[0]!.name],
      ['dumpxml', '--inactive', guests[0]!.name],
      ['dumpxml', '--security-info', guests[0]!.name],
      ['dumpxml', guests[1]!.name],
    ]) {
      expectSame(await both(qemuUri, args), args.join(' '));
    }
    expectSame(await both(testUri, ['dumpxml', 'test']), 'dumpxml test');
  });

  it('vol-list of our pool and of the test driver pool', async () => {
    const ours = await both(qemuUri, ['vol-list', pool]);
    expectSame(ours, 'vol-list');
    expect(ours.ours.stdout.indexOf('Disk-A.qcow2')).toBeLessThan(
      ours.ours.stdout.indexOf('disk-b.raw'),
    );
    expectSame(await both(testUri, ['vol-list', 'default-pool']), 'vol-list default-pool');
  });

  it('--json gives stable objects with 64-bit values as strings', async () => {
    const list = await vdctl(['--json', '-c', qemuUri, 'list', '--all']);
    expect(list.code).toBe(0);
    const domains = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    const running = domains.find((d) => d.name === guests[0]!.name);
    expect(running).toMatchObject({ uuid: guests[0]!.uuid, state: 'running', stateCode: 1 });
    expect(typeof running?.id).toBe('number');
    expect(domains.find((d) => d.name === guests[1]!.name)).toMatchObject({
      id: null,
      state: 'shutoff',
      stateCode: 5,
    });

    const info = await vdctl(['-c', qemuUri, 'dominfo', '--json', guests[0]!.name]);
    const doc = JSON.parse(info.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ name: guests[0]!.name, cpus: 1, persistent: true });
    expect(doc.maxMemoryKiB).toBe('65536');
    expect(doc.cpuTimeNs).toMatch(/^\d+$/);

    const node = JSON.parse((await vdctl(['--json', '-c', qemuUri, 'nodeinfo'])).stdout) as {
      memoryKiB: string;
      cpus: number;
    };
    const virshNode = (await runVirsh(qemuUri, ['nodeinfo'])).stdout;
    expect(virshNode).toContain(`Memory size:         ${node.memoryKiB} KiB`);
    expect(virshNode).toContain(`CPU(s):              ${node.cpus}\n`);
  });

  it('-q drops table headers and the trailing blank line like virsh -q', async () => {
    const ours = await vdctl(['-q', '-c', qemuUri, 'list', '--all']);
    const theirs = await runVirsh(qemuUri, ['-q', 'list', '--all']);
    expect(ours.stdout).toBe(theirs.stdout);
  });

  it('domstats prints the same fields as virsh; stable ones with the same values', async () => {
    const name = guests[0]!.name;
    const args = [
      'domstats',
      '--state',
      '--cpu-total',
      '--balloon',
      '--vcpu',
      '--interface',
      '--block',
      name,
    ];
    const r = await both(qemuUri, args);
    expect(r.ours.code).toBe(0);
    const fields = (s: string) =>
      new Map(
        s
          .split('\n')
          .filter((l) => l.startsWith('  '))
          .map((l) => l.trim().split('=') as [string, string]),
      );
    const ours = fields(r.ours.stdout);
    const theirs = fields(r.theirs.stdout);
    expect(r.ours.stdout.split('\n')[0]).toBe(`Domain: '${name}'`);
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    for (const key of [
      'state.state',
      'state.reason',
      'balloon.maximum',
      'vcpu.current',
      'vcpu.maximum',
      'net.count',
      'block.count',
    ]) {
      expect(ours.get(key), key).toBe(theirs.get(key));
    }
    // Every domain, every group: same domains in the same order.
    const all = await both(qemuUri, ['domstats']);
    const heads = (s: string) => s.split('\n').filter((l) => l.startsWith('Domain: '));
    expect(heads(all.ours.stdout)).toEqual(heads(all.theirs.stdout));
    expectSame(await both(testUri, ['domstats']), 'domstats (test driver)');
  });
});
