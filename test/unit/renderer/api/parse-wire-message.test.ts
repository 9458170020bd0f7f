import { describe, expect, it } from 'vitest';
import { parseWireMessage } from '../../../../renderer/src/api/parse-wire-message';

describe('parseWireMessage', () => {
  it('accepts a success and a failure result', () => {
    const ok = { type: 'result', id: 3, result: { ok: true, value: { theme: 'dark' } } };
    expect(parseWireMessage(JSON.stringify(ok))).toEqual({ ok: true, message: ok });

    const failed = {
      type: 'result',
      id: 4,
      result: {
        ok: false,
        error: {
          kind: 'libvirt',
          message: "Domain not found: 'web01'",
          code: 42,
          domain: 10,
          codeName: 'VIR_ERR_NO_DOMAIN',
        },
      },
    };
    expect(parseWireMessage(JSON.stringify(failed))).toEqual({ ok: true, message: failed });
  });

  it('accepts a known event', () => {
    const event = {
      type: 'event',
      event: { name: 'prefs:changed', payload: { theme: 'light', locale: null } },
    };
    expect(parseWireMessage(JSON.stringify(event))).toEqual({ ok: true, message: event });
  });

  it('rejects an event name this renderer does not know', () => {
    const parsed = parseWireMessage(
      JSON.stringify({ type: 'event', event: { name: 'vm:exploded', payload: {} } }),
    );
    expect(parsed).toMatchObject({ ok: false, problem: expect.stringContaining('vm:exploded') });
  });

  it('keeps the id of a malformed result so its call can fail instead of hanging', () => {
    const parsed = parseWireMessage(
      JSON.stringify({ type: 'result', id: 9, result: { ok: false, error: { kind: 'weird' } } }),
    );
    expect(parsed).toMatchObject({ ok: false, id: 9 });
    expect(parsed.ok === false && parsed.problem).toMatch(/result\.error/);
  });

  it('explains frames that are not JSON, binary, or of an unknown type', () => {
    expect(parseWireMessage('{nope')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/not JSON/),
    });
    expect(parseWireMessage(new Uint8Array([1, 2]))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/binary/),
    });
    const unknown = parseWireMessage(
      JSON.stringify({ type: 'call', id: 1, channel: 'x', input: {} }),
    );
    expect(unknown.ok).toBe(false);
    expect(unknown).not.toHaveProperty('id');
  });
});
