import { describe, expect, expectTypeOf, it } from 'vitest';
import { contract, type OutputOf } from '../../../shared/contract/channels';
import { eventNames, type EventMap } from '../../../shared/contract/events';
import type { VmBulkResult, VmRef, VmSummary } from '../../../shared/contract/vms';
import { VM_TAGS_MAX, VM_TAG_MAX_LENGTH, vmEventNames } from '../../../shared/contract/vms';
import { statsEventNames } from '../../../shared/contract/stats';

const connectionId = '0b0f1d7e-6a1c-4d2b-9f55-1c1f0a9e7a11';
// The test driver's UUID is not an RFC 4122 variant; libvirt accepts it, so must we.
const uuid = '6695EB01-F6A4-8304-79AA-97F2502E193F';

describe('the VM contract', () => {
  it('accepts libvirt UUIDs of any variant and lowercases them', () => {
    const parsed = contract['vm:start'].input.parse({ connectionId, uuid, forceBoot: true });
    expect(parsed).toEqual({ connectionId, uuid: uuid.toLowerCase(), forceBoot: true });
  });

  it('refuses malformed targets and unknown fields', () => {
    for (const input of [
      { connectionId, uuid: 'web01' },
      { connectionId: 'host1', uuid },
      { connectionId, uuid, force: true },
      { connectionId },
    ]) {
      expect(contract['vm:shutdown'].input.safeParse(input).success).toBe(false);
    }
  });

  it('trims tags and bounds their number, length and characters', () => {
    const schema = contract['vm:setTags'].input;
    expect(schema.parse({ connectionId, uuid, tags: [' web ', 'db'] }).tags).toEqual(['web', 'db']);
    const bad = [
      ['   '],
      ['x'.repeat(VM_TAG_MAX_LENGTH + 1)],
      ['line\nbreak'],
      Array.from({ length: VM_TAGS_MAX + 1 }, (_, i) => `t${i}`),
    ];
    for (const tags of bad)
      expect(schema.safeParse({ connectionId, uuid, tags }).success).toBe(false);
  });

  it('takes a delete request with per-disk choices and an optional force-off', () => {
    const schema = contract['vm:delete'].input;
    expect(
      schema.parse({
        connectionId,
        uuid,
        disks: [{ target: 'vda', delete: true }],
        forceOff: true,
      }),
    ).toMatchObject({ forceOff: true, disks: [{ target: 'vda', delete: true }] });
    expect(schema.safeParse({ connectionId, uuid }).success).toBe(false);
    expect(schema.safeParse({ connectionId, uuid, disks: [{ target: 'vda' }] }).success).toBe(
      false,
    );
  });

  it('only bulk-runs the argument-less actions', () => {
    const schema = contract['vm:bulk'].input;
    expect(schema.safeParse({ action: 'start', targets: [{ connectionId, uuid }] }).success).toBe(
      true,
    );
    expect(schema.safeParse({ action: 'delete', targets: [{ connectionId, uuid }] }).success).toBe(
      false,
    );
    expect(schema.safeParse({ action: 'start', targets: [] }).success).toBe(false);
  });

  it('lists every VM and stats event for the renderer to accept', () => {
    for (const name of [...vmEventNames, ...statsEventNames]) expect(eventNames).toContain(name);
  });

  it('pins the reply and event types', () => {
    expectTypeOf<OutputOf<'vm:start'>>().toEqualTypeOf<VmRef>();
    expectTypeOf<OutputOf<'vm:get'>>().toEqualTypeOf<VmSummary>();
    expectTypeOf<OutputOf<'vm:bulk'>>().toEqualTypeOf<VmBulkResult>();
    expectTypeOf<EventMap['vm:added']>().toEqualTypeOf<VmSummary>();
    expectTypeOf<EventMap['vm:changed']['patch']>().not.toHaveProperty('uuid');
  });
});
