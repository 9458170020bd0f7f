import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import { LibvirtError } from '../../../../electron/libvirt/errors';
import {
  domainDefineXml,
  domainDestroy,
  domainGetAutostart,
  domainGetHostname,
  domainGetInfo,
  domainGetMetadata,
  domainGetState,
  domainGetXml,
  domainHasManagedSave,
  domainInjectNmi,
  domainIsActive,
  domainIsPersistent,
  domainList,
  domainLookup,
  domainManagedSave,
  domainManagedSaveRemove,
  domainReboot,
  domainRename,
  domainReset,
  domainRestore,
  domainResume,
  domainSave,
  domainSendKey,
  domainSetAutostart,
  domainSetMemory,
  domainSetMetadata,
  domainSetVcpus,
  domainShutdown,
  domainStart,
  domainSuspend,
  domainUndefine,
  type DomainRef,
} from '../../../../electron/libvirt/facade/domain';
import { VIR_CONNECT_LIST_DOMAINS_ACTIVE } from '../../../../electron/libvirt/protocol/constants.gen';
import {
  Cleanup,
  daemon,
  openClient,
  uniqueName,
  virsh,
  virshFails,
  virshFields,
  virshTable,
  virshXml,
} from './facade-fixture';

// test:///default keeps its state only while a connection is open: the client below stays
// open for the whole file, so each virsh run sees the changes the facade made.
const { testUri, dir } = daemon();
const cleanup = new Cleanup();
let c: LibvirtClient;
let test: DomainRef;

function testDomainXml(name: string, uuid: string, extra = ''): string {
  return `<domain type='test'>
  <name>${name}</name>
  <uuid>${uuid}</uuid>
  <memory unit='KiB'>262144</memory>
  <vcpu placement='static' current='1'>2</vcpu>
  <os><type arch='x86_64'>hvm</type></os>${extra}
</domain>
`;
}

beforeAll(async () => {
  c = await openClient(testUri, cleanup);
  test = await domainLookup(c, 'test');
});
afterAll(() => cleanup.run());

describe('domain facade on test:///default (compared with virsh)', () => {
  const local = new Cleanup();
  afterEach(() => local.run());

  async function defineScratch(extra = ''): Promise<DomainRef> {
    const name = uniqueName('vd-dom');
    const dom = await domainDefineXml(c, testDomainXml(name, randomUUID(), extra));
    local.add(`undefine ${name}`, async () => {
      if (await domainIsActive(c, dom)) await domainDestroy(c, dom);
      await domainUndefine(c, dom, { managedSave: true });
    });
    return dom;
  }

  it('lists the same domains, UUIDs and IDs as virsh list --all', async () => {
    const scratch = await defineScratch();
    const ours = await domainList(c);
    const rows = virshTable(await virsh(testUri, ['list', '--all']));
    const theirs = await Promise.all(
      rows.map(async ([id, name]) => ({
        name: name as string,
        id: id === '-' ? -1 : Number(id),
        uuid: (await virsh(testUri, ['domuuid', name as string])).trim(),
      })),
    );
    expect([...ours].sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      theirs.sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(ours.map((d) => d.name)).toContain(scratch.name);
    // The flags filter on the daemon side: only the running 'test' is active.
    expect(await domainList(c, { flags: VIR_CONNECT_LIST_DOMAINS_ACTIVE })).toEqual([test]);
  });

  it('looks domains up by ID, UUID and name like virsh, keeping libvirt errors', async () => {
    expect(test.id).toBeGreaterThan(0);
    expect(await domainLookup(c, String(test.id))).toEqual(test);
    expect(await domainLookup(c, test.uuid)).toEqual(test);
    expect(await domainLookup(c, test.uuid.toUpperCase())).toEqual(test);
    expect((await virsh(testUri, ['domuuid', 'test'])).trim()).toBe(test.uuid);
    // A name made of digits: no domain has that ID, so the name wins (virsh's order).
    const numeric = await domainDefineXml(c, testDomainXml('424242', randomUUID()));
    local.add('undefine 424242', () => domainUndefine(c, numeric));
    expect(await domainLookup(c, '424242')).toEqual(numeric);

    const err = await domainLookup(c, 'vd-no-such-domain').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err).toMatchObject({ codeName: 'VIR_ERR_NO_DOMAIN', domainName: 'VIR_FROM_TEST' });
    await expect(domainLookup(c, '')).rejects.toThrow(TypeError);
  });

  it('getInfo and getState match virsh dominfo / domstate --reason', async () => {
    const info = await domainGetInfo(c, test);
    const fields = virshFields(await virsh(testUri, ['dominfo', 'test']));
    expect(info.stateName).toBe(fields.get('State'));
    expect(`${info.maxMemKiB} KiB`).toBe(fields.get('Max memory'));
    expect(`${info.memoryKiB} KiB`).toBe(fields.get('Used memory'));
    expect(String(info.nrVirtCpu)).toBe(fields.get('CPU(s)'));
    // The test driver reports wall-clock time as CPU time: equal to within the gap.
    const virshCpuS = Number.parseFloat(fields.get('CPU time') ?? 'NaN');
    expect(Math.abs(Number(info.cpuTimeNs / 1_000_000n) / 1000 - virshCpuS)).toBeLessThan(120);

    const state = await domainGetState(c, test);
    expect(`${state.stateName} (${state.reasonName})`).toBe(
      (await virsh(testUri, ['domstate', '--reason', 'test'])).trim(),
    );
    expect(await domainIsActive(c, test)).toBe(fields.get('State') === 'running');
    expect(await domainIsPersistent(c, test)).toBe(fields.get('Persistent') === 'yes');
  });

  it('getXml returns what virsh dumpxml prints, for each flag', async () => {
    expect(await domainGetXml(c, test)).toBe(await virshXml(testUri, ['dumpxml', 'test']));
    expect(await domainGetXml(c, test, { inactive: true })).toBe(
      await virshXml(testUri, ['dumpxml', '--inactive', 'test']),
    );
    expect(await domainGetXml(c, test, { secure: true, migratable: true })).toBe(
      await virshXml(testUri, ['dumpxml', '--security-info', '--migratable', 'test']),
    );
  });

  it('defines (with and without schema validation), renames and undefines', async () => {
    const uuid = randomUUID();
    const name = uniqueName('vd-def');
    const bogus = testDomainXml(name, uuid, '\n  <bogus/>');
    const invalid = await domainDefineXml(c, bogus, { validate: true }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ codeName: 'VIR_ERR_XML_INVALID_SCHEMA' });
    expect(await virshFails(testUri, ['domuuid', name])).toContain('failed to get domain');

    const dom = await domainDefineXml(c, bogus);
    local.add('undefine renamed', async () => {
      const still = await domainList(c);
      for (const d of still.filter((d) => d.uuid === uuid)) await domainUndefine(c, d);
    });
    expect(dom).toEqual({ name, uuid, id: -1 });
    expect(await domainGetXml(c, dom)).toBe(await virshXml(testUri, ['dumpxml', name]));

    const renamed = await domainRename(c, dom, `${name}-r`);
    expect(renamed).toEqual({ name: `${name}-r`, uuid, id: -1 });
    expect((await virsh(testUri, ['domname', uuid])).trim()).toBe(`${name}-r`);

    await domainUndefine(c, renamed);
    expect(await virshFails(testUri, ['domname', uuid])).toContain('failed to get domain');
    await expect(domainDefineXml(c, '  ')).rejects.toThrow(TypeError);
  });

  it('drives the lifecycle; virsh sees every state', async () => {
    const dom = await defineScratch();
    const state = async (): Promise<string> =>
      (await virsh(testUri, ['domstate', dom.name])).trim();
    // (The test driver refuses START_PAUSED; the QEMU tests cover it.)
    const running = await domainStart(c, dom);
    expect(running.id).toBeGreaterThan(0);
    expect(await state()).toBe('running');
    await domainSuspend(c, running);
    expect(await state()).toBe('paused');
    await domainResume(c, running);
    await domainReboot(c, running);
    await domainReset(c, running);
    expect(await state()).toBe('running');
    await domainShutdown(c, running);
    expect(await state()).toBe('shut off');
    await domainStart(c, dom);
    await domainDestroy(c, running, { graceful: true });
    expect((await virsh(testUri, ['domstate', '--reason', dom.name])).trim()).toBe(
      'shut off (destroyed)',
    );
    // A refused call keeps libvirt's error as virsh shows it.
    const err = await domainResume(c, dom).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(await virshFails(testUri, ['resume', dom.name])).toContain(
      (err as LibvirtError).message,
    );
    await expect(domainShutdown(c, dom, { modes: ['bogus' as 'acpi-power-btn'] })).rejects.toThrow(
      TypeError,
    );
  });

  it('managed save, save to a file and restore', async () => {
    const dom = await defineScratch();
    const running = await domainStart(c, dom);
    await domainManagedSave(c, running);
    expect(await domainHasManagedSave(c, dom)).toBe(true);
    expect(virshFields(await virsh(testUri, ['dominfo', dom.name])).get('Managed save')).toBe(
      'yes',
    );
    await domainManagedSaveRemove(c, dom);
    expect(await domainHasManagedSave(c, dom)).toBe(false);

    const again = await domainStart(c, dom);
    const file = join(dir, `${dom.name}.save`);
    await domainSave(c, again, file);
    expect((await virsh(testUri, ['domstate', '--reason', dom.name])).trim()).toBe(
      'shut off (saved)',
    );
    await domainRestore(c, file);
    expect((await virsh(testUri, ['domstate', '--reason', dom.name])).trim()).toBe(
      'running (restored)',
    );
    await expect(domainSave(c, again, 'relative/path')).rejects.toThrow(TypeError);
  });

  it('autostart, vCPUs, memory and metadata as virsh reports them', async () => {
    const dom = await defineScratch();
    expect(await domainGetAutostart(c, dom)).toBe(false);
    await domainSetAutostart(c, dom, true);
    expect(await domainGetAutostart(c, dom)).toBe(true);
    expect(virshFields(await virsh(testUri, ['dominfo', dom.name])).get('Autostart')).toBe(
      'enable',
    );

    await domainSetVcpus(c, dom, 2, { config: true });
    expect((await virsh(testUri, ['vcpucount', dom.name, '--config', '--current'])).trim()).toBe(
      '2',
    );
    await domainSetMemory(c, dom, 131072n, { config: true });
    expect(virshFields(await virsh(testUri, ['dominfo', dom.name])).get('Used memory')).toBe(
      '131072 KiB',
    );
    await expect(domainSetVcpus(c, dom, 0)).rejects.toThrow(TypeError);

    await domainSetMetadata(c, dom, { type: 'title', value: 'Web server' });
    await domainSetMetadata(c, dom, { type: 'description', value: 'line 1\nline 2' });
    const ns = 'https://virtdeck.example/ns/1';
    await domainSetMetadata(c, dom, {
      type: 'element',
      uri: ns,
      key: 'vd',
      value: '<owner>ops</owner>',
    });
    expect(await domainGetMetadata(c, dom, { type: 'title' })).toBe('Web server');
    expect((await virsh(testUri, ['desc', dom.name, '--title'])).trim()).toBe('Web server');
    expect((await virsh(testUri, ['desc', dom.name])).trim()).toBe('line 1\nline 2');
    expect(await domainGetMetadata(c, dom, { type: 'element', uri: ns })).toBe(
      (await virsh(testUri, ['metadata', dom.name, ns])).trim(),
    );
    await domainSetMetadata(c, dom, { type: 'title', value: null });
    const gone = await domainGetMetadata(c, dom, { type: 'title' }).catch((e: unknown) => e);
    expect(gone).toMatchObject({ codeName: 'VIR_ERR_NO_DOMAIN_METADATA' });
    await expect(domainGetMetadata(c, dom, { type: 'element' })).rejects.toThrow(TypeError);
  });

  it('NMI, keys and hostname reach the driver', async () => {
    await domainInjectNmi(c, test);
    await domainSendKey(c, test, { codeset: 'linux', holdtime: 0, keycodes: [29, 56, 111] });
    await expect(
      domainSendKey(c, test, { codeset: 'linux', holdtime: 0, keycodes: [] }),
    ).rejects.toThrow(TypeError);
    expect(await domainGetHostname(c, test)).toBe(
      (await virsh(testUri, ['domhostname', 'test'])).trim(),
    );
  });
});
