import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import { LibvirtError } from '../../../../electron/libvirt/errors';
import {
  domainAbortJob,
  domainAttachDevice,
  domainDefineXml,
  domainDestroy,
  domainDetachDevice,
  domainGetJobInfo,
  domainGetXml,
  domainInjectNmi,
  domainIsActive,
  domainResume,
  domainScreenshot,
  domainSendKey,
  domainSuspend,
  domainUndefine,
  domainUpdateDevice,
  type DomainRef,
} from '../../../../electron/libvirt/facade/domain';
import type { DomainEvent } from '../../../../electron/libvirt/facade/events';
import { connectGetAllDomainStats } from '../../../../electron/libvirt/facade/stats';
import { firmwareVncGuestXml } from '../../../harness/test-guests';
import {
  Cleanup,
  daemon,
  eventually,
  openClient,
  startGuest,
  uniqueName,
  virsh,
} from './facade-fixture';

const { qemuUri, dir } = daemon();
const cleanup = new Cleanup();
let c: LibvirtClient;

beforeAll(async () => {
  c = await openClient(qemuUri, cleanup);
});
afterAll(() => cleanup.run());

/** Defines a firmware-only VNC guest (SeaBIOS, ~1 s to a picture) and registers its removal. */
async function defineFirmwareGuest(): Promise<DomainRef> {
  const name = uniqueName('vd-fw');
  const dom = await domainDefineXml(c, firmwareVncGuestXml({ name, uuid: randomUUID() }));
  cleanup.add(`remove ${name}`, async () => {
    if (!(await virsh(qemuUri, ['list', '--all', '--name'])).includes(name)) return;
    if (await domainIsActive(c, dom)) await domainDestroy(c, dom);
    await domainUndefine(c, dom);
  });
  return dom;
}

/** PNG width and height from the IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** `virsh domstats` output as field → text. */
function parseDomstats(out: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^\s+([^=\s]+)=(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) fields.set(m[1], m[2]);
  }
  return fields;
}

describe('a real QEMU guest (TCG) through the facade', () => {
  it('reports define/start/suspend/resume/destroy/undefine as lifecycle events, in order', async () => {
    const events: DomainEvent[] = [];
    const others: DomainEvent[] = [];
    let uuid = '';
    const sub = c.events.onDomainEvent((e) => (e.dom.uuid === uuid ? events : others).push(e), {
      kinds: ['lifecycle'],
    });
    cleanup.add('unsubscribe lifecycle', async () => sub());
    await sub.ready;

    const name = uniqueName('vd-life');
    uuid = randomUUID();
    const dom = await domainDefineXml(c, firmwareVncGuestXml({ name, uuid }));
    const running = await startGuest(c, dom);
    await domainSuspend(c, running);
    await domainResume(c, running);
    await domainDestroy(c, running);
    await domainUndefine(c, dom);

    const required = [
      'defined/added',
      'started/booted',
      'suspended/paused',
      'resumed/unpaused',
      'stopped/destroyed',
      'undefined/removed',
    ];
    const seen = await eventually('all lifecycle events', () => {
      const pairs = events.map((e) =>
        e.kind === 'lifecycle' ? `${e.eventName}/${e.detailName}` : e.kind,
      );
      return pairs.includes('undefined/removed') ? pairs : undefined;
    });
    // In order; QEMU adds a resume while starting and reports the shutdown the kill caused.
    let at = -1;
    for (const want of required) {
      const next = seen.indexOf(want, at + 1);
      expect(next, `${want} after index ${at} in ${seen.join(', ')}`).toBeGreaterThan(at);
      at = next;
    }
    for (const p of seen) expect([...required, 'shutdown/host']).toContain(p);
    for (const e of events) expect(e.dom).toMatchObject({ name, uuid });
    expect(events.some((e) => e.kind !== 'lifecycle')).toBe(false);
  });

  describe('a running firmware guest', () => {
    let dom: DomainRef;
    beforeAll(async () => {
      const defined = await defineFirmwareGuest();
      dom = await startGuest(c, defined, { paused: true });
      expect((await virsh(qemuUri, ['domstate', '--reason', dom.name])).trim()).toBe(
        'paused (user)',
      );
      await domainResume(c, dom);
    });

    it('takes a PNG screenshot of the VGA console, the same size virsh gets', async () => {
      // SeaBIOS switches video modes while it starts: compare once the mode has settled.
      const file = join(dir, `${dom.name}.png`);
      cleanup.add('remove virsh screenshot', () => rm(file, { force: true }));
      const { shot, reference } = await eventually(
        'our and virsh screenshots of one mode',
        async () => {
          const ours = await domainScreenshot(c, dom);
          await virsh(qemuUri, ['screenshot', dom.name, file]);
          const theirs = await readFile(file);
          const same =
            ours.data.length > 100 &&
            JSON.stringify(pngSize(ours.data)) === JSON.stringify(pngSize(theirs));
          return same ? { shot: ours, reference: theirs } : undefined;
        },
      );
      expect(shot.mime).toBe('image/png');
      expect(shot.data.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
      expect(reference.subarray(0, 8)).toEqual(shot.data.subarray(0, 8));
      expect(pngSize(shot.data).width).toBeGreaterThanOrEqual(640);
      expect(pngSize(shot.data).height).toBeGreaterThanOrEqual(400);
      await expect(domainScreenshot(c, dom, -1)).rejects.toThrow(TypeError);
    });

    it('bulk stats hold the state/cpu/balloon/vcpu fields virsh domstats shows', async () => {
      const [record] = await connectGetAllDomainStats(c, {
        stats: ['state', 'cpu-total', 'balloon', 'vcpu'],
        flags: ['active', 'nowait'],
        domains: undefined,
      }).then((all) => all.filter((r) => r.dom.uuid === dom.uuid));
      const theirs = parseDomstats(
        await virsh(qemuUri, [
          'domstats',
          '--state',
          '--cpu-total',
          '--balloon',
          '--vcpu',
          dom.name,
        ]),
      );
      expect(record?.dom).toEqual(dom);
      const ours = record?.stats ?? {};
      expect(Object.keys(ours).sort()).toEqual([...theirs.keys()].sort());
      for (const key of [
        'state.state',
        'state.reason',
        'balloon.current',
        'balloon.maximum',
        'vcpu.current',
        'vcpu.maximum',
        'vcpu.0.state',
      ]) {
        expect(String(ours[key]), key).toBe(theirs.get(key));
      }
      expect(ours['state.state']).toBe(1);
      expect(typeof ours['cpu.time']).toBe('bigint');
      // Taken before virsh's: CPU time only grows.
      expect(ours['cpu.time'] as bigint).toBeLessThanOrEqual(BigInt(theirs.get('cpu.time') ?? -1));

      // The per-domain variant sends the list; state filters are then not allowed.
      const listed = await connectGetAllDomainStats(c, { stats: ['state'], domains: [dom] });
      expect(listed).toEqual([
        { dom, stats: { 'state.state': 1, 'state.reason': expect.any(Number) } },
      ]);
    });

    it('job info, abort, NMI and keys on a real guest', async () => {
      const job = await domainGetJobInfo(c, dom);
      expect(job.typeName).toBe('none');
      const abort = await domainAbortJob(c, dom).catch((e: unknown) => e);
      expect(abort).toBeInstanceOf(LibvirtError);
      expect(abort).toMatchObject({ codeName: 'VIR_ERR_OPERATION_INVALID' });
      await domainInjectNmi(c, dom);
      await domainSendKey(c, dom, { codeset: 'linux', holdtime: 50, keycodes: [42, 30] });
    });

    it('attaches, updates and detaches a CD-ROM in the persistent definition', async () => {
      const cdrom = (extra: string): string =>
        `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/>${extra}</disk>`;
      await domainAttachDevice(c, dom, cdrom(''), { config: true });
      const inactive = await virsh(qemuUri, ['dumpxml', '--inactive', dom.name]);
      expect(inactive).toContain("<target dev='hdc' bus='ide'/>");
      expect(await domainGetXml(c, dom)).not.toContain("dev='hdc'");

      const iso = join(dir, `${dom.name}.iso`);
      await domainUpdateDevice(c, dom, cdrom(`<source file='${iso}'/>`), { config: true });
      expect(await domainGetXml(c, dom, { inactive: true })).toContain(`<source file='${iso}'/>`);

      await domainDetachDevice(c, dom, cdrom(''), { config: true });
      expect(await virsh(qemuUri, ['dumpxml', '--inactive', dom.name])).not.toContain("dev='hdc'");
      await expect(domainAttachDevice(c, dom, '')).rejects.toThrow(TypeError);
    });

    it('reconnect() re-registers subscriptions: events still arrive afterwards', async () => {
      const seen: string[] = [];
      const sub = c.events.onDomainEvent(
        (e) => seen.push(e.kind === 'lifecycle' ? e.eventName : e.kind),
        { kinds: ['lifecycle'], dom },
      );
      await sub.ready;
      const callbacks = c.events.activeCallbacks;
      const before = c.connection;
      const closedReports: string[] = [];
      const offClosed = c.onClosed((reason) => closedReports.push(reason.reason));

      await c.reconnect();
      expect(c.connection).not.toBe(before);
      expect(before.closed).toBe(true);
      // The replaced connection's end is not reported as "the client's connection closed".
      expect(closedReports).toEqual([]);
      expect(c.events.activeCallbacks).toBe(callbacks);

      await domainSuspend(c, dom);
      await eventually('suspended after reconnect', () =>
        seen.includes('suspended') ? true : undefined,
      );
      await domainResume(c, dom);
      await eventually('resumed after reconnect', () =>
        seen.includes('resumed') ? true : undefined,
      );
      sub();
      offClosed();
    });
  });
});
