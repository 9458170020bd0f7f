import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrateProgress } from '../../../shared/contract/migrate';
import { domainIsActive, domainList, domainLookup } from '../../../electron/libvirt/facade/domain';
import type { TinyLinuxAssets } from '../../harness/test-guests';
import {
  addConnection,
  bootTinyGuest,
  Cleanup,
  consoleAnswers,
  defineTinyGuest,
  eventually,
  migrationService,
  removeEverywhere,
  startTwoHosts,
  tinyLinux,
  uniqueName,
  type TwoHosts,
} from './migrate-fixture';

const cleanup = new Cleanup();
let hosts: TwoHosts;
let assets: TinyLinuxAssets | null = null;
let unavailable = '';

beforeAll(async () => {
  ({ assets, why: unavailable } = await tinyLinux());
  hosts = await startTwoHosts(cleanup);
}, 120_000);
afterAll(() => cleanup.run(), 120_000);

const client = (id: string) => hosts.clients.get(id)!.client;

/** Waits until the migration really moves data (the perform phase reports bytes). */
function movingData(progress: MigrateProgress[], jobId: string): Promise<MigrateProgress> {
  return eventually(
    () => `data moving for ${jobId} (phases: ${progress.map((p) => p.phase).join(',')})`,
    () =>
      progress.find(
        (p) => p.jobId === jobId && p.phase === 'perform' && (p.dataProcessed ?? 0) > 0,
      ),
    120_000,
  );
}

describe('a migration that does not complete leaves the source running as before', () => {
  it('cancel mid-migration (1 MiB/s): aborted, the guest still answers on the source', async (ctx) => {
    if (!assets) return ctx.skip(`tiny Linux guest cannot be built here: ${unavailable}`);
    const { service, progress } = migrationService(hosts);
    const ca = client(hosts.ids.a);
    const cb = client(hosts.ids.b);
    const name = uniqueName('vd-mig-cancel');
    const dom = await bootTinyGuest(ca, await defineTinyGuest(ca, assets, { name }));
    cleanup.add(`remove ${name}`, () => removeEverywhere(hosts, dom.uuid));

    const jobId = randomUUID();
    const running = service.migrate({
      connectionId: hosts.ids.a,
      uuid: dom.uuid,
      destinationId: hosts.ids.b,
      jobId,
      mode: 'live',
      bandwidthMiBs: 1,
    });
    const failed = running.then(
      () => {
        throw new Error('the migration completed although it was cancelled');
      },
      (err: unknown) => err,
    );
    const moving = await movingData(progress, jobId);
    expect(moving.memoryBps).not.toBeNull();
    expect(moving.memoryRemaining).toBeGreaterThan(0);
    await expect(service.cancel(jobId)).resolves.toEqual({ cancelled: true });
    const err = await failed;
    console.info(`cancelled: ${(err as Error).message}`);
    expect(err).toMatchObject({
      message: expect.stringContaining(`Failed to migrate ${name} on hostA`),
    });
    const last = progress.filter((p) => p.jobId === jobId).at(-1);
    expect(last?.phase).toBe('cancelled');
    expect(last?.error?.message).toMatch(/\(cancelled: vd-mig-cancel-\w+ stays on hostA\)$/);

    expect(await domainIsActive(ca, await domainLookup(ca, dom.uuid))).toBe(true);
    expect((await hosts.a.virsh(['domstate', name])).stdout.trim()).toBe('running');
    await eventually('no trace on the destination', async () =>
      (await domainList(cb)).some((d) => d.uuid === dom.uuid) ? undefined : true,
    );
    expect(await consoleAnswers(ca, dom)).toMatch(/alive$/);
    await expect(service.cancel(jobId)).resolves.toEqual({ cancelled: false });
  }, 300_000);

  it('the destination link drops during Perform: a clear error, the source intact and running', async (ctx) => {
    if (!assets) return ctx.skip(`tiny Linux guest cannot be built here: ${unavailable}`);
    // Its own link to B, so closing it leaves the other tests' link alone.
    const linkB = await addConnection(hosts, 'hostB-link', hosts.b.uri('qemu'), cleanup);
    const { service, progress } = migrationService(hosts);
    const ca = client(hosts.ids.a);
    const cb = client(hosts.ids.b);
    const name = uniqueName('vd-mig-drop');
    const dom = await bootTinyGuest(ca, await defineTinyGuest(ca, assets, { name }));
    cleanup.add(`remove ${name}`, () => removeEverywhere(hosts, dom.uuid));

    const jobId = randomUUID();
    const outcome = service
      .migrate({
        connectionId: hosts.ids.a,
        uuid: dom.uuid,
        destinationId: linkB,
        jobId,
        mode: 'live',
        bandwidthMiBs: 1,
      })
      .then(
        () => new Error('the migration completed although its destination link closed'),
        (err: unknown) => err,
      );
    await movingData(progress, jobId);
    // The incoming VM exists on B while the data flows.
    expect((await domainList(cb)).some((d) => d.uuid === dom.uuid)).toBe(true);
    await client(linkB).close();
    const err = await outcome;
    expect(err).toBeInstanceOf(Error);
    console.info(`destination link dropped: ${(err as Error).message}`);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^Failed to migrate ${name} on hostA: .+ \\(the connection to hostB-link closed during the migration: ${name} stays on hostA\\)$`,
      ),
    );
    expect(progress.filter((p) => p.jobId === jobId).at(-1)?.phase).toBe('failed');

    expect(await domainIsActive(ca, await domainLookup(ca, dom.uuid))).toBe(true);
    expect((await hosts.a.virsh(['domstate', name])).stdout.trim()).toBe('running');
    await eventually(
      'the destination dropped the half-migrated VM',
      async () => ((await domainList(cb)).some((d) => d.uuid === dom.uuid) ? undefined : true),
      60_000,
    );
    expect(await consoleAnswers(ca, dom)).toMatch(/alive$/);
  }, 300_000);
});
