import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { SavedConnection } from '../../../shared/contract/connections';
import type { NetworkSummary } from '../../../shared/contract/networks';
import { runVirsh } from '../../harness/run-virsh';
import { startVmApp, testName, type VmApp } from '../vms/vm-test-support';

// Real networks need root and bridges; the daemon's test driver emits the same lifecycle
// events through the same remote protocol.
const { testUri } = inject('libvirtd');
const LIVE_MS = 1_000;
let app: VmApp;
let connectionId: string;
const names: string[] = [];

async function virshTest(args: readonly string[]): Promise<void> {
  const r = await runVirsh(testUri, args);
  if (r.code !== 0) throw new Error(`virsh ${args.join(' ')}: ${r.stderr.trim()}`);
}

beforeAll(async () => {
  app = await startVmApp({ alias: 'net-events-qemu' });
  const saved = await app.ok<SavedConnection>('connection:add', {
    alias: 'net-events',
    uri: testUri,
  });
  connectionId = saved.id;
  await app.ok('connection:connect', { id: connectionId });
  await app.services.networks.whenFollowing();
}, 60_000);

afterAll(async () => {
  for (const name of names) {
    await runVirsh(testUri, ['net-destroy', name]);
    await runVirsh(testUri, ['net-undefine', name]);
  }
  await app?.stop();
});

async function seen(network: string, change: string, args: string[]): Promise<number> {
  const since = performance.now();
  await virshTest(args);
  const done = performance.now();
  const hit = await app.waitForEvent(
    'net:changed',
    (e) => e.connectionId === connectionId && e.network === network && e.change === change,
    { since, timeoutMs: 10_000 },
  );
  return hit.at - done;
}

describe('network changes made outside the app (virsh) reach the renderer as events', () => {
  it('reports define, start, stop and undefine within a second', async () => {
    const name = testName('vdevnet').name;
    names.push(name);
    const xml =
      `<network><name>${name}</name><forward mode='nat'/>` +
      `<ip address='192.168.177.1' prefix='24'><dhcp>` +
      `<range start='192.168.177.10' end='192.168.177.20'/></dhcp></ip></network>`;
    const file = `${app.configDir}/${name}.xml`;
    await writeFile(file, xml);

    expect(await seen(name, 'defined', ['net-define', file])).toBeLessThan(LIVE_MS);
    expect(await seen(name, 'started', ['net-start', name])).toBeLessThan(LIVE_MS);
    const listed = await app.ok<NetworkSummary[]>('net:list', { connectionId });
    expect(listed.find((n) => n.name === name)).toMatchObject({ active: true, mode: 'nat' });
    expect(await seen(name, 'stopped', ['net-destroy', name])).toBeLessThan(LIVE_MS);
    expect(await seen(name, 'undefined', ['net-undefine', name])).toBeLessThan(LIVE_MS);
  });
});
