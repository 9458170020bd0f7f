import { readdir } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NewVmHostInfo, NewVmProblem, NewVmSpec } from '../../../shared/contract/new-vm';
import { startVmApp, type VmApp } from '../vms/vm-test-support';
import {
  createDirPool,
  createVm,
  domainExists,
  domState,
  harness,
  poolVolumes,
  shortName,
  tinySpec,
  virsh,
} from './new-vm-support';

/**
 * What must never half-happen: every bad input of the issue is caught by 'newVm:check' on
 * its step before anything exists, a failing creation removes all it made, and a VM held
 * for customization is started or removed on request.
 */
let app: VmApp;
let pool: Awaited<ReturnType<typeof createDirPool>>;
let host: NewVmHostInfo;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  app = await startVmApp({ alias: 'newvm-safety' });
  pool = await createDirPool();
  host = await app.ok<NewVmHostInfo>('newVm:hostInfo', { connectionId: app.connectionId });
}, 60_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await pool?.remove();
  await app?.stop();
});

const newDisk = (value = 16, unit: 'MiB' | 'TiB' = 'MiB') =>
  ({ kind: 'new', pool: pool.name, size: { value, unit }, format: 'qcow2' }) as const;

async function check(
  spec: NewVmSpec,
  step: NewVmProblem['step'] = 'finish',
): Promise<NewVmProblem[]> {
  return app.ok<NewVmProblem[]>('newVm:check', { spec, step });
}

const errors = (problems: NewVmProblem[]) => problems.filter((p) => p.severity === 'error');

describe('bad input is caught on its step, before anything is created', () => {
  it('a clean spec has no errors', async () => {
    expect(errors(await check(tinySpec(app, shortName('ok'), { storage: newDisk() })))).toEqual([]);
  });

  it('an empty name or one libvirt would refuse never reaches the host', async () => {
    for (const name of ['', 'a/b', '-dash', 'two words']) {
      const err = await app.fails('newVm:check', { spec: tinySpec(app, name), step: 'finish' });
      expect(err.kind).toBe('validation');
      expect(err.path).toBe('spec.name');
    }
  });

  it('a duplicate name', async () => {
    const name = shortName('dup');
    await createVm(app, tinySpec(app, name), cleanups);
    expect(errors(await check(tinySpec(app, name)))).toEqual([
      {
        step: 'finish',
        field: 'name',
        severity: 'error',
        message: `A VM named ${name} already exists on this host`,
      },
    ]);
  });

  it('memory and vCPUs beyond the host or the OS maximum; below the OS minimum warns', async () => {
    const name = shortName('res');
    const tooMuch = await check(
      tinySpec(app, name, { memoryBytes: host.hostMemoryBytes * 2, vcpus: host.hostCpus + 1 }),
      'resources',
    );
    expect(errors(tooMuch).map((p) => [p.step, p.field])).toEqual([
      ['resources', 'memoryBytes'],
      ['resources', 'vcpus'],
    ]);
    expect(tooMuch[0]?.message).toMatch(/^The host has only [\d.]+ GiB of memory$/);
    // Fedora ELN: osinfo's maximum of 768 CPUs (beyond this host's too).
    const eln = await check(
      tinySpec(app, name, { osId: 'http://fedoraproject.org/fedora/eln', vcpus: 769 }),
      'resources',
    );
    expect(eln).toContainEqual({
      step: 'resources',
      field: 'vcpus',
      severity: 'error',
      message: expect.stringMatching(/supports at most 768 CPUs/),
    });
    expect(eln).toContainEqual(
      expect.objectContaining({ field: 'memoryBytes', severity: 'warning' }),
    );
  });

  it('a disk larger than the pool has free, saying how much is free', async () => {
    const problems = errors(
      await check(tinySpec(app, shortName('big'), { storage: newDisk(1000, 'TiB') }), 'storage'),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ step: 'storage', field: 'storage.size' });
    expect(problems[0]?.message).toMatch(
      new RegExp(`larger than the [\\d.]+ \\w+ free in ${pool.name}`),
    );
  });

  it('an unreachable install tree URL', async () => {
    const problems = errors(
      await check(
        tinySpec(app, shortName('url'), {
          method: { kind: 'tree', url: 'http://127.0.0.1:9/tree/' },
          storage: newDisk(),
        }),
        'method',
      ),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ step: 'method', field: 'method.url' });
    expect(problems[0]?.message).toMatch(/127\.0\.0\.1:9/);
  });

  it('a missing default network', async () => {
    const problems = errors(
      await check(
        tinySpec(app, shortName('net'), { network: { type: 'network', network: 'default' } }),
      ),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        step: 'finish',
        field: 'network',
        message: expect.stringMatching(/default network is missing/),
      }),
    ]);
    // Asked only up to the storage step, the network is not checked yet.
    expect(
      await check(
        tinySpec(app, shortName('net'), { network: { type: 'network', network: 'default' } }),
        'storage',
      ),
    ).toEqual([]);
  });

  it('an ISO path that does not exist (error in a pool folder; outside every pool a warning)', async () => {
    const inPool = await check(
      tinySpec(app, shortName('iso'), {
        method: { kind: 'media', media: { kind: 'path', path: `${pool.dir}/missing.iso` } },
      }),
      'method',
    );
    expect(inPool).toEqual([
      expect.objectContaining({
        step: 'method',
        field: 'method.media',
        severity: 'error',
        message: expect.stringMatching(/missing\.iso does not exist/),
      }),
    ]);
    const missingVolume = await check(
      tinySpec(app, shortName('iso'), {
        method: { kind: 'media', media: { kind: 'volume', pool: pool.name, volume: 'nope.iso' } },
      }),
      'method',
    );
    expect(missingVolume).toEqual([
      expect.objectContaining({
        field: 'method.media',
        severity: 'error',
        message: expect.stringMatching(/nope\.iso/),
      }),
    ]);
    const outside = await check(
      tinySpec(app, shortName('iso'), {
        method: { kind: 'media', media: { kind: 'path', path: '/nonexistent-virtdeck/x.iso' } },
      }),
      'method',
    );
    expect(outside).toEqual([
      expect.objectContaining({
        field: 'method.media',
        severity: 'warning',
        message: expect.stringMatching(/cannot be checked/),
      }),
    ]);
  });

  it('Secure Boot without UEFI, UEFI required by the OS', async () => {
    const problems = errors(
      await check(
        tinySpec(app, shortName('fw'), { secureBoot: true, osId: 'http://microsoft.com/win/11' }),
      ),
    );
    expect(problems.map((p) => [p.field, p.message])).toEqual(
      expect.arrayContaining([
        ['secureBoot', 'Secure Boot needs UEFI firmware'],
        ['firmware', 'Microsoft Windows 11 needs UEFI firmware'],
      ]),
    );
  });

  it('create refuses a spec with errors and creates nothing', async () => {
    const name = shortName('ref');
    const spec = tinySpec(app, name, { storage: newDisk(1000, 'TiB') });
    const before = await poolVolumes(pool.name);
    const err = await app.fails('newVm:create', {
      spec,
      jobId: randomUUID(),
      customize: false,
      uuid: randomUUID(),
    });
    expect(err.kind).toBe('validation');
    expect(err.message).toMatch(/free in/);
    expect(await domainExists(name)).toBe(false);
    expect(await poolVolumes(pool.name)).toEqual(before);
  });
});

describe('rollback', () => {
  async function nvramFiles(): Promise<string[]> {
    return readdir(`${harness().dir}/config/libvirt/qemu/nvram`).catch(() => []);
  }

  it('a start that fails removes the definition (with its NVRAM) and the new disk, and answers libvirt’s error', async () => {
    const name = shortName('rb');
    const spec = tinySpec(app, name, {
      // Outside every pool: only a warning, and then QEMU cannot open it.
      method: { kind: 'media', media: { kind: 'path', path: '/nonexistent-virtdeck/x.iso' } },
      storage: newDisk(),
      firmware: 'efi',
    });
    const err = await app.fails('newVm:create', {
      spec,
      jobId: randomUUID(),
      customize: false,
      uuid: randomUUID(),
    });
    expect(err.kind).toBe('libvirt');
    expect(err.code).toBeGreaterThan(0);
    expect(err.message).toContain('/nonexistent-virtdeck/x.iso');
    expect(await domainExists(name)).toBe(false);
    expect((await poolVolumes(pool.name)).filter((v) => v.startsWith(name))).toEqual([]);
    expect((await nvramFiles()).filter((f) => f.startsWith(name))).toEqual([]);
  });

  it('a definition libvirt refuses removes the disk and the seed already made', async () => {
    const name = shortName('rd');
    const base = `${name}-base.qcow2`;
    await virsh(['vol-create-as', pool.name, base, '8M', '--format', 'qcow2']);
    cleanups.push(async () => void (await virsh(['vol-delete', base, '--pool', pool.name])));
    const spec = tinySpec(app, name, {
      // libvirt refuses a title with a newline when defining.
      title: 'two\nlines',
      method: {
        kind: 'cloud',
        base: { kind: 'volume', pool: pool.name, volume: base },
        mode: 'overlay',
        cloudInit: { user: 'carol', password: 'pw', sshKeys: [], hostname: 'rd' },
      },
      storage: newDisk(),
    });
    const jobId = randomUUID();
    const since = performance.now();
    const err = await app.fails('newVm:create', {
      spec,
      jobId,
      customize: false,
      uuid: randomUUID(),
    });
    expect(err.kind).toBe('libvirt');
    expect(err.message).toMatch(/title/i);
    expect(await domainExists(name)).toBe(false);
    expect((await poolVolumes(pool.name)).filter((v) => v.startsWith(name))).toEqual([base]);
    const phases = app.events
      .filter((e) => e.at >= since && e.event.name === 'newVm:progress')
      .map((e) => e.event.payload as { jobId: string; phase: string })
      .filter((p) => p.jobId === jobId)
      .map((p) => p.phase);
    expect(phases).toEqual(
      expect.arrayContaining(['volumes', 'seed', 'defining', 'rolling-back', 'failed']),
    );
  });
});

describe('customize before install', () => {
  it('defines without starting; "begin" starts it', async () => {
    const name = shortName('cb');
    const { created } = await createVm(app, tinySpec(app, name, { storage: newDisk() }), cleanups, {
      customize: true,
    });
    expect(created.started).toBe(false);
    expect(await domState(name)).toBe('shut off');
    await app.ok('newVm:begin', { connectionId: app.connectionId, uuid: created.uuid });
    expect(await domState(name)).toBe('running');
    // Once begun it is an ordinary VM: no second begin, no abandon.
    expect(
      (await app.fails('newVm:abandon', { connectionId: app.connectionId, uuid: created.uuid }))
        .kind,
    ).toBe('validation');
  });

  it('"abandon" removes what the wizard made and keeps the disk the user brought', async () => {
    const name = shortName('ca');
    const image = `${name}-mine.qcow2`;
    await virsh(['vol-create-as', pool.name, image, '8M', '--format', 'qcow2']);
    cleanups.push(async () => void (await virsh(['vol-delete', image, '--pool', pool.name])));
    const { created } = await createVm(
      app,
      tinySpec(app, name, {
        method: { kind: 'import', disk: { kind: 'volume', pool: pool.name, volume: image } },
      }),
      cleanups,
      { customize: true },
    );
    await app.ok('newVm:abandon', { connectionId: app.connectionId, uuid: created.uuid });
    expect(await domainExists(name)).toBe(false);
    expect(await poolVolumes(pool.name)).toContain(image);

    const other = shortName('cc');
    const made = await createVm(app, tinySpec(app, other, { storage: newDisk() }), cleanups, {
      customize: true,
    });
    await app.ok('newVm:abandon', { connectionId: app.connectionId, uuid: made.created.uuid });
    expect(await domainExists(other)).toBe(false);
    expect((await poolVolumes(pool.name)).filter((v) => v.startsWith(other))).toEqual([]);
  });
});
