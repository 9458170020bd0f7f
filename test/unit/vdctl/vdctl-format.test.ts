import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../electron/libvirt/facade/events';
import {
  eventTimestamp,
  formatDomainEvent,
} from '../../../electron/vdctl/format/domain-event-text';
import { formatJson, toJsonValue } from '../../../electron/vdctl/format/json-format';
import { formatTypedParam } from '../../../electron/vdctl/format/typed-param-format';
import {
  compareNames,
  domainStateWord,
  lifecycleEventWords,
} from '../../../electron/vdctl/format/virsh-words';

const dom = { name: 'vm1', uuid: '11111111-2222-3333-4444-555555555555', id: 3 };

describe('JSON output', () => {
  it('writes every bigint as a decimal string, even small ones', () => {
    expect(JSON.parse(formatJson({ small: 5n, big: 2n ** 64n - 1n, n: 7 }))).toEqual({
      small: '5',
      big: '18446744073709551615',
      n: 7,
    });
  });

  it('ends with a newline and indents by two spaces', () => {
    expect(formatJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });

  it('accepts plain data only', () => {
    expect(toJsonValue({ a: undefined, b: [1n, 'x', true] })).toEqual({
      a: null,
      b: [1n, 'x', true],
    });
    expect(() => toJsonValue(new Date(0))).toThrow(TypeError);
    expect(() => toJsonValue({ f: () => 1 })).toThrow(TypeError);
  });
});

describe('typed parameters as virsh domstats prints them', () => {
  it('formats each C type', () => {
    expect(formatTypedParam({ type: 1, i: -3 })).toBe('-3');
    expect(formatTypedParam({ type: 2, ui: 4294967295 })).toBe('4294967295');
    expect(formatTypedParam({ type: 3, l: -(2n ** 63n) })).toBe('-9223372036854775808');
    expect(formatTypedParam({ type: 4, ul: 2n ** 64n - 1n })).toBe('18446744073709551615');
    expect(formatTypedParam({ type: 5, d: 2 })).toBe('2.000000');
    expect(formatTypedParam({ type: 5, d: 0.1234567 })).toBe('0.123457');
    expect(formatTypedParam({ type: 6, b: 1 })).toBe('yes');
    expect(formatTypedParam({ type: 6, b: 0 })).toBe('no');
    expect(formatTypedParam({ type: 7, s: 'page-sampling' })).toBe('page-sampling');
  });
});

describe('virsh words', () => {
  it('names states as virsh list does', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 99].map(domainStateWord)).toEqual([
      'no state',
      'running',
      'idle',
      'paused',
      'in shutdown',
      'shut off',
      'crashed',
      'pmsuspended',
      'no state',
    ]);
  });

  it('names lifecycle events and details', () => {
    expect(lifecycleEventWords(2, 0)).toEqual(['Started', 'Booted']);
    expect(lifecycleEventWords(5, 1)).toEqual(['Stopped', 'Destroyed']);
    expect(lifecycleEventWords(6, 1)).toEqual(['Shutdown', 'Finished after guest request']);
    expect(lifecycleEventWords(42, 0)).toEqual(['unknown', 'unknown']);
  });

  it('sorts names case-insensitively, like g_ascii_strcasecmp', () => {
    expect(['b', 'A', 'a2', 'C'].sort(compareNames)).toEqual(['A', 'a2', 'b', 'C']);
  });
});

describe('event lines', () => {
  it('prints lifecycle events as virsh event does', () => {
    const started: DomainEvent = {
      kind: 'lifecycle',
      dom,
      event: 2,
      eventName: 'started',
      detail: 0,
      detailName: 'booted',
    };
    expect(formatDomainEvent(started)).toBe("event 'lifecycle' for domain 'vm1': Started Booted\n");
  });

  it('prints the other kinds in virsh wording', () => {
    expect(formatDomainEvent({ kind: 'reboot', dom })).toBe("event 'reboot' for domain 'vm1'\n");
    expect(formatDomainEvent({ kind: 'rtc-change', dom, offsetSeconds: -3600n })).toBe(
      "event 'rtc-change' for domain 'vm1': -3600\n",
    );
    expect(formatDomainEvent({ kind: 'balloon-change', dom, actualKiB: 1024n })).toBe(
      "event 'balloon-change' for domain 'vm1': 1024KiB\n",
    );
    expect(formatDomainEvent({ kind: 'pm-suspend', dom, reason: 0, toDisk: true })).toBe(
      "event 'pm-suspend-disk' for domain 'vm1'\n",
    );
    expect(
      formatDomainEvent({
        kind: 'io-error',
        dom,
        srcPath: '/d.img',
        devAlias: 'virtio-disk0',
        action: 1,
        actionName: 'pause',
        reason: 'enospc',
      }),
    ).toBe("event 'io-error-reason' for domain 'vm1': /d.img (virtio-disk0) pause due to enospc\n");
    expect(
      formatDomainEvent({ kind: 'tunable', dom, params: { 'cputune.shares': 1024n, x: true } }),
    ).toBe("event 'tunable' for domain 'vm1':\n\tcputune.shares: 1024\n\tx: 1\n");
  });

  it('stamps events like virTimeStringNowRaw', () => {
    expect(eventTimestamp(new Date(Date.UTC(2024, 4, 1, 12, 3, 4, 56)))).toBe(
      '2024-05-01 12:03:04.056+0000',
    );
  });
});
