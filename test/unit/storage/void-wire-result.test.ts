import { describe, expect, it } from 'vitest';
import { parseWireMessage } from '../../../renderer/src/api/parse-wire-message';

// pool:start, net:stop and the other void channels answer { ok: true, value: undefined },
// which JSON sends as { ok: true }: the web bridge must take that as a success.
describe('a void channel’s answer over the web wire', () => {
  it('is a success with an undefined value', () => {
    const parsed = parseWireMessage(
      JSON.stringify({ type: 'result', id: 7, result: { ok: true } }),
    );
    expect(parsed).toEqual({ ok: true, message: { type: 'result', id: 7, result: { ok: true } } });
    expect(parsed.ok && parsed.message.type === 'result' && parsed.message.result.ok).toBe(true);
  });

  it('still refuses a result without ok', () => {
    const parsed = parseWireMessage(JSON.stringify({ type: 'result', id: 8, result: {} }));
    expect(parsed.ok).toBe(false);
  });
});
