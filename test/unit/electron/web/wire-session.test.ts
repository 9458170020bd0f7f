import { describe, expect, it } from 'vitest';
import { parseCall } from '../../../../electron/web/wire-session';

// The socket side runs against the real web host in test/integration/web; these are the
// malformed messages a browser never sends.
describe('parseCall', () => {
  it('reads a well-formed call', () => {
    expect(parseCall('{"type":"call","id":7,"channel":"app:info","input":{}}')).toEqual({
      kind: 'call',
      call: { type: 'call', id: 7, channel: 'app:info', input: {} },
    });
  });

  it('answers a call with a usable id but a bad shape', () => {
    expect(parseCall('{"type":"cast","id":3,"channel":"app:info"}')).toEqual({
      kind: 'bad-call',
      id: 3,
      message: 'Unknown message type "cast"',
    });
    expect(parseCall('{"type":"call","id":4,"channel":5}')).toMatchObject({
      kind: 'bad-call',
      id: 4,
    });
  });

  it('gives up on messages it could never answer', () => {
    for (const text of [
      'not json',
      '[1,2]',
      '"call"',
      'null',
      '{"type":"call","channel":"app:info"}',
      '{"type":"call","id":-1,"channel":"app:info"}',
      '{"type":"call","id":1.5,"channel":"app:info"}',
      '{"type":"call","id":"1","channel":"app:info"}',
      '{"type":"call","id":9007199254740993,"channel":"app:info"}',
    ]) {
      expect(parseCall(text).kind, text).toBe('fatal');
    }
  });
});
