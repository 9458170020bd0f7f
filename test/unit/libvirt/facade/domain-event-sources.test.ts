import { describe, expect, it } from 'vitest';
import {
  domainEventSources,
  lifecycleDetailName,
} from '../../../../electron/libvirt/facade/domain-event-sources';
import {
  networkEventSources,
  nodeDeviceEventSources,
  storagePoolEventSources,
} from '../../../../electron/libvirt/facade/object-event-sources';
import type { EventSource } from '../../../../electron/libvirt/client/event-source';
import {
  VIR_DOMAIN_EVENT_CRASHED,
  VIR_DOMAIN_EVENT_CRASHED_PANICKED,
  VIR_DOMAIN_EVENT_DEFINED,
  VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT,
  VIR_DOMAIN_EVENT_PMSUSPENDED,
  VIR_DOMAIN_EVENT_PMSUSPENDED_DISK,
  VIR_DOMAIN_EVENT_SUSPENDED,
  VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED,
} from '../../../../electron/libvirt/protocol/constants.gen';
import { VIR_TYPED_PARAM_ULLONG } from '../../../../electron/libvirt/protocol/remote.gen';
import { decode, encode } from '../protocol/codec-helpers';

const dom = { name: 'db', uuid: new Uint8Array(16).fill(1), id: 7 };
const domRef = { name: 'db', uuid: '01010101-0101-0101-0101-010101010101', id: 7 };

/** Sends `msg` through the event's own codec (as the wire would), then decodes it. */
function roundTrip<E>(source: EventSource<E> | undefined, msg: unknown): E {
  if (!source) throw new Error('no source');
  const wire = decode(source.info.msg, encode(source.info.msg, msg));
  expect(source.callbackId(wire)).toBe((msg as { callbackID: number }).callbackID);
  return source.decode(wire);
}

describe('domain event sources', () => {
  it('decodes each message shape into the typed event', () => {
    expect(
      roundTrip(domainEventSources.graphics[0], {
        callbackID: 1,
        msg: {
          dom,
          phase: 0,
          local: { family: 0, node: '127.0.0.1', service: '5900' },
          remote: { family: 1, node: '::1', service: '40000' },
          authScheme: 'none',
          subject: [{ type: 'x509dname', name: 'CN=me' }],
        },
      }),
    ).toEqual({
      kind: 'graphics',
      dom: domRef,
      phase: 0,
      phaseName: 'connect',
      local: { family: 0, familyName: 'ipv4', node: '127.0.0.1', service: '5900' },
      remote: { family: 1, familyName: 'ipv6', node: '::1', service: '40000' },
      authScheme: 'none',
      subject: [{ type: 'x509dname', name: 'CN=me' }],
    });
    expect(
      roundTrip(domainEventSources['pm-suspend'][1], { callbackID: 2, reason: 0, msg: { dom } }),
    ).toEqual({
      kind: 'pm-suspend',
      dom: domRef,
      reason: 0,
      toDisk: true,
    });
    expect(
      roundTrip(domainEventSources['block-job'][0], {
        callbackID: 3,
        dom,
        dst: 'vda',
        type: 2,
        status: 3,
      }),
    ).toEqual({
      kind: 'block-job',
      dom: domRef,
      disk: 'vda',
      type: 2,
      typeName: 'copy',
      status: 3,
      statusName: 'ready',
    });
    expect(
      roundTrip(domainEventSources['job-completed'][0], {
        callbackID: 4,
        dom,
        params: [{ field: 'time_elapsed', value: { type: VIR_TYPED_PARAM_ULLONG, ul: 1234n } }],
      }),
    ).toEqual({ kind: 'job-completed', dom: domRef, stats: { time_elapsed: 1234n } });
    expect(
      roundTrip(domainEventSources['io-error'][0], {
        callbackID: 5,
        msg: { dom, srcPath: '/img', devAlias: 'virtio-disk0', action: 1, reason: 'enospc' },
      }),
    ).toMatchObject({ kind: 'io-error', actionName: 'pause', reason: 'enospc' });
    expect(
      roundTrip(domainEventSources['disk-change'][0], {
        callbackID: 6,
        msg: { dom, oldSrcPath: '/a.iso', newSrcPath: null, devAlias: 'ide0-1-0', reason: 1 },
      }),
    ).toMatchObject({ kind: 'disk-change', newSrcPath: null, reasonName: 'drop-missing-on-start' });
  });

  it('names lifecycle details with the enum of their event', () => {
    expect(
      lifecycleDetailName(VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT),
    ).toBe('from-snapshot');
    expect(
      lifecycleDetailName(VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED),
    ).toBe('postcopy-failed');
    expect(
      lifecycleDetailName(VIR_DOMAIN_EVENT_PMSUSPENDED, VIR_DOMAIN_EVENT_PMSUSPENDED_DISK),
    ).toBe('disk');
    expect(lifecycleDetailName(VIR_DOMAIN_EVENT_CRASHED, VIR_DOMAIN_EVENT_CRASHED_PANICKED)).toBe(
      'panicked',
    );
    expect(lifecycleDetailName(99, 0)).toBe('unknown');
  });

  it('every event ID and event procedure appears once across the tables', () => {
    const all = [
      ...Object.values(domainEventSources),
      ...Object.values(networkEventSources),
      ...Object.values(storagePoolEventSources),
      ...Object.values(nodeDeviceEventSources),
    ].flat();
    const keys = all.map((s) => `${s.object}:${s.eventId}`);
    expect(new Set(keys).size).toBe(keys.length);
    const procs = all.map((s) => s.info.proc);
    expect(new Set(procs).size).toBe(procs.length);
  });
});
