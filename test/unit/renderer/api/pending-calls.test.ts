import { describe, expect, it } from 'vitest';
import { PendingCalls } from '../../../../renderer/src/api/pending-calls';

const lost = { kind: 'transport', message: 'link lost' } as const;

describe('PendingCalls', () => {
  it('gives each call its own id and routes each reply to its own call, in any order', async () => {
    const pending = new PendingCalls();
    const first = pending.add('app:info', {});
    const second = pending.add('prefs:get', {});
    expect(first.id).not.toBe(second.id);

    expect(pending.settle(second.id, { ok: true, value: 'second' })).toBe(true);
    expect(pending.settle(first.id, { ok: true, value: 'first' })).toBe(true);

    await expect(first.result).resolves.toEqual({ ok: true, value: 'first' });
    await expect(second.result).resolves.toEqual({ ok: true, value: 'second' });
    expect(pending.size).toBe(0);
  });

  it('refuses a reply for an unknown or already answered id', () => {
    const pending = new PendingCalls();
    const { id } = pending.add('app:info', {});
    expect(pending.settle(id + 100, { ok: true, value: null })).toBe(false);
    expect(pending.settle(id, { ok: true, value: null })).toBe(true);
    expect(pending.settle(id, { ok: true, value: null })).toBe(false);
  });

  it('lists queued calls oldest first as wire messages and stops listing them once sent', () => {
    const pending = new PendingCalls();
    const a = pending.add('prefs:set', { theme: 'dark' });
    const b = pending.add('app:info', {});
    expect(pending.queued()).toEqual([
      { type: 'call', id: a.id, channel: 'prefs:set', input: { theme: 'dark' } },
      { type: 'call', id: b.id, channel: 'app:info', input: {} },
    ]);
    pending.markSent(a.id);
    expect(pending.queued().map((call) => call.id)).toEqual([b.id]);
    expect(pending.inFlight).toBe(1);
  });

  it('expires a call only while it is still queued', async () => {
    const pending = new PendingCalls();
    const queued = pending.add('app:info', {});
    const sent = pending.add('prefs:get', {});
    pending.markSent(sent.id);

    expect(pending.expireQueued(sent.id, lost)).toBe(false);
    expect(pending.expireQueued(queued.id, lost)).toBe(true);
    await expect(queued.result).resolves.toEqual({ ok: false, error: lost });
    expect(pending.size).toBe(1);
  });

  it('fails only the in-flight calls when their socket is lost, keeping queued ones', async () => {
    const pending = new PendingCalls();
    const sent = pending.add('prefs:set', { theme: 'light' });
    const queued = pending.add('app:info', {});
    pending.markSent(sent.id);

    expect(pending.failInFlight(lost)).toBe(1);
    await expect(sent.result).resolves.toEqual({ ok: false, error: lost });
    expect(pending.queued().map((call) => call.id)).toEqual([queued.id]);

    expect(pending.failAll(lost)).toBe(1);
    await expect(queued.result).resolves.toEqual({ ok: false, error: lost });
    expect(pending.size).toBe(0);
  });
});
