import { describe, expect, it } from 'vitest';
import {
  camelKey,
  endReasonOfClose,
  troubleView,
} from '../../../renderer/src/components/console/console-problem';
import {
  consoleRouteHash,
  parseConsoleRoute,
} from '../../../renderer/src/components/console/console-route';
import { consoleSocketUrl } from '../../../renderer/src/components/console/console-socket-url';
import {
  textToKeyStrokes,
  XK_SHIFT_L,
} from '../../../renderer/src/components/console/text-keysyms';
import { CLOSE_CODES } from '../../../electron/consoles/console-bridge';

const conn = '0b7f2a52-6c1e-4f0c-9d43-1c1f1f0f7a11';
const vm = 'AABBCCDD-0000-1111-2222-333344445555';

describe('console page helpers', () => {
  it('parses and builds the detached console route', () => {
    expect(parseConsoleRoute(`#/console/${conn}/${vm}`)).toEqual({
      connectionId: conn,
      uuid: vm.toLowerCase(),
    });
    expect(consoleRouteHash({ connectionId: conn, uuid: vm.toLowerCase() })).toBe(
      `#/console/${conn}/${vm.toLowerCase()}`,
    );
    expect(parseConsoleRoute('#/console/x/y')).toBeNull();
    expect(parseConsoleRoute(`#/console/${conn}/${vm}/../evil`)).toBeNull();
    expect(parseConsoleRoute('')).toBeNull();
  });

  it('builds the WebSocket URL from the ticket or the page origin', () => {
    const path = '/ws/console/abc';
    expect(
      consoleSocketUrl({ path, wsOrigin: 'ws://127.0.0.1:4100' }, 'app://virtdeck/index.html'),
    ).toBe('ws://127.0.0.1:4100/ws/console/abc');
    expect(consoleSocketUrl({ path, wsOrigin: null }, 'http://127.0.0.1:9000/#/console/a/b')).toBe(
      'ws://127.0.0.1:9000/ws/console/abc',
    );
    expect(consoleSocketUrl({ path, wsOrigin: null }, 'https://host.example:8443/')).toBe(
      'wss://host.example:8443/ws/console/abc',
    );
    expect(() => consoleSocketUrl({ path, wsOrigin: null }, 'app://virtdeck/')).toThrow(
      /needs an endpoint/,
    );
  });

  it('maps every bridge close code back to its reason', () => {
    for (const [reason, code] of Object.entries(CLOSE_CODES)) {
      expect(endReasonOfClose(code)).toBe(reason === 'closed' ? null : reason);
    }
  });

  it('offers a way out for each trouble', () => {
    expect(troubleView('vm-stopped', 'vnc').remedies).toEqual(['start']);
    expect(troubleView('serial-busy', 'serial').remedies[0]).toBe('take-over');
    expect(troubleView('tls-only', 'spice').remedies).toEqual(['external-viewer', 'replace-spice']);
    expect(troubleView('unreachable', 'spice').remedies).toContain('replace-spice');
    expect(troubleView('unreachable', 'vnc').remedies).toEqual(['reconnect']);
    expect(troubleView('no-device', null).remedies).toEqual(['add-display']);
    expect(troubleView('no-device', 'serial').remedies).toEqual([]);
    expect(camelKey('host-disconnected')).toBe('hostDisconnected');
  });

  it('types text as keysyms, with Shift where a US keyboard needs it', () => {
    const { strokes, skipped } = textToKeyStrokes('aZ!\r\n\té\u0001€');
    expect(strokes).toEqual([
      { keysym: 0x61, shift: false },
      { keysym: 0x5a, shift: true },
      { keysym: 0x21, shift: true },
      { keysym: 0xff0d, shift: false },
      { keysym: 0xff09, shift: false },
      { keysym: 0xe9, shift: false },
      { keysym: 0x010020ac, shift: false },
    ]);
    expect(skipped).toBe(1);
    expect(XK_SHIFT_L).toBe(0xffe1);
  });
});
