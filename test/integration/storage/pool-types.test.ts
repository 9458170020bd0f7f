import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { SavedConnection } from '../../../shared/contract/connections';
import type { PoolDefineInput, PoolSummary } from '../../../shared/contract/storage';
import { chapSecretUsage } from '../../../shared/contract/storage';
import { runVirsh } from '../../harness/run-virsh';
import { harness, startVmApp, testName, virsh, type VmApp } from '../vms/vm-test-support';

// Defining a pool of any type is real on the QEMU driver (unprivileged: nothing is touched
// until it starts); starting fs/NFS/LVM/disk/iSCSI/SCSI pools needs root and devices, so
// that part runs on the daemon's test driver, which keeps libvirt's define/start semantics.
const { testUri } = inject('libvirtd');
let app: VmApp;
let testConnection: string;
const qemuPools: string[] = [];
const testPools: string[] = [];

beforeAll(async () => {
  app = await startVmApp({ alias: 'pool-types' });
  const saved = await app.ok<SavedConnection>('connection:add', { alias: 'pt-test', uri: testUri });
  testConnection = saved.id;
  await app.ok('connection:connect', { id: testConnection });
}, 60_000);

afterAll(async () => {
  for (const [uri, names] of [
    [harness().qemuUri, qemuPools],
    [testUri, testPools],
  ] as const) {
    for (const name of names) {
      await runVirsh(uri, ['pool-destroy', name]);
      await runVirsh(uri, ['pool-undefine', name]);
    }
  }
  for (const name of qemuPools) {
    const uuid = await runVirsh(harness().qemuUri, ['secret-list']);
    for (const line of uuid.stdout.split('\n')) {
      if (line.includes(chapSecretUsage(name))) {
        await runVirsh(harness().qemuUri, ['secret-undefine', line.trim().split(/\s+/)[0] ?? '']);
      }
    }
  }
  await app?.stop();
});

type Spec = PoolDefineInput extends infer P
  ? P extends unknown
    ? Omit<P, 'connectionId' | 'name'>
    : never
  : never;
const kinds: Record<string, Spec> = {
  fs: { type: 'fs', sourceDevice: '/dev/vdb1', format: 'ext4', targetPath: '/mnt/vd-fs' },
  netfs: {
    type: 'netfs',
    host: 'nas.example.lan',
    sourcePath: '/export/vms',
    format: 'nfs',
    targetPath: '/mnt/vd-nfs',
  },
  logical: { type: 'logical', devices: ['/dev/vdc'] },
  disk: { type: 'disk', sourceDevice: '/dev/vdd', format: 'gpt' },
  iscsi: { type: 'iscsi', host: '192.0.2.10', target: 'iqn.2024-01.lan.example:lun1' },
  scsi: { type: 'scsi', adapter: { kind: 'scsi_host', name: 'host0' } },
};

async function dumpxml(uri: string, name: string): Promise<string> {
  const r = await runVirsh(uri, ['pool-dumpxml', name]);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe('pool types beyond directory', () => {
  it.each(Object.entries(kinds))(
    'defines a %s pool on the QEMU driver as libvirt reads it back',
    async (kind, spec) => {
      const name = testName(`vd-${kind}`).name;
      qemuPools.push(name);
      const pool = await app.ok<PoolSummary>('pool:define', {
        ...spec,
        connectionId: app.connectionId,
        name,
        start: false,
      } as PoolDefineInput);
      expect(pool).toMatchObject({ name, type: kind, state: 'inactive' });
      expect(pool.canCreateVolumes).toBe(kind !== 'iscsi' && kind !== 'scsi');
      if (!pool.canCreateVolumes) expect(pool.cannotCreateReason).toMatch(/LUNs/);
      const xml = await dumpxml(harness().qemuUri, name);
      expect(xml).toContain(`<pool type='${kind}'>`);
      if (kind === 'netfs') {
        expect(xml).toContain("<host name='nas.example.lan'/>");
        expect(xml).toContain("<dir path='/export/vms'/>");
      }
      if (kind === 'logical') expect(xml).toContain(`<path>/dev/${name}</path>`);
      if (kind === 'iscsi') expect(xml).toContain("<device path='iqn.2024-01.lan.example:lun1'/>");
    },
  );

  it('keeps an iSCSI CHAP password in a private libvirt secret, not in the pool XML', async () => {
    const name = testName('vd-chap').name;
    qemuPools.push(name);
    await app.ok('pool:define', {
      connectionId: app.connectionId,
      name,
      type: 'iscsi',
      host: 'san.example.lan',
      target: 'iqn.2024-01.lan.example:vol',
      initiator: 'iqn.2024-01.lan.example:client',
      chap: { username: 'vdchap', password: 's3cret-pass' },
      start: false,
    });
    const xml = await dumpxml(harness().qemuUri, name);
    expect(xml).toContain("<auth type='chap' username='vdchap'>");
    expect(xml).toContain(`<secret usage='${chapSecretUsage(name)}'/>`);
    expect(xml).not.toContain('s3cret-pass');
    const list = await virsh(['secret-list']);
    const line = list.split('\n').find((l) => l.includes(chapSecretUsage(name)));
    expect(line).toBeDefined();
    // Private: libvirt refuses to give the value back to a client.
    const uuid = line?.trim().split(/\s+/)[0] ?? '';
    const value = await runVirsh(harness().qemuUri, ['secret-get-value', uuid]);
    expect(value.code).not.toBe(0);

    // Deleting the pool removes its secret too.
    await app.ok('pool:delete', { connectionId: app.connectionId, pool: name });
    expect(await virsh(['secret-list'])).not.toContain(chapSecretUsage(name));
  });

  it.each(Object.entries(kinds))('starts a %s pool on the test driver', async (kind, spec) => {
    const name = testName(`vd-t${kind}`).name;
    testPools.push(name);
    const pool = await app.ok<PoolSummary>('pool:define', {
      ...spec,
      connectionId: testConnection,
      name,
    } as PoolDefineInput);
    expect(pool).toMatchObject({ name, type: kind, state: 'running' });
    const info = await runVirsh(testUri, ['pool-info', name]);
    expect(info.stdout).toMatch(/State:\s+running/);
  });

  it('refuses to build a device pool without the wipe confirmation, and defines nothing', async () => {
    const name = testName('vd-wipe').name;
    const error = await app.fails('pool:define', {
      connectionId: app.connectionId,
      name,
      type: 'disk',
      sourceDevice: '/dev/vde',
      build: true,
    });
    expect(error.message).toMatch(/overwrites the device/);
    const names = await virsh(['pool-list', '--all', '--name']);
    expect(names).not.toContain(name);
  });

  it('refuses malformed sources with the field’s message', async () => {
    const bad = await app.fails('pool:define', {
      connectionId: app.connectionId,
      name: testName('vd-bad').name,
      type: 'iscsi',
      host: 'san.example.lan',
      target: 'not-an-iqn',
    });
    expect(bad.message).toMatch(/iSCSI name/);
    const dev = await app.fails('pool:define', {
      connectionId: app.connectionId,
      name: testName('vd-bad').name,
      type: 'fs',
      sourceDevice: '/home/x',
      targetPath: '/mnt/x',
    });
    expect(dev.message).toMatch(/device path/);
  });
});
