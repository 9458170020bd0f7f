import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../../shared/contract/events';
import { EventHub } from '../../../../electron/services/event-hub';
import { createRecordingLogger } from '../recording-logger';

describe('EventHub', () => {
  it('delivers each event to every subscriber until it disposes', () => {
    const hub = new EventHub(createRecordingLogger());
    const a: EventEnvelope[] = [];
    const b: EventEnvelope[] = [];
    const disposeA = hub.subscribe((e) => a.push(e));
    hub.subscribe((e) => b.push(e));
    hub.emit('prefs:changed', { theme: 'dark', locale: null });
    disposeA();
    disposeA();
    hub.emit('prefs:changed', { theme: 'light', locale: 'en' });
    expect(a).toEqual([{ name: 'prefs:changed', payload: { theme: 'dark', locale: null } }]);
    expect(b.map((e) => e.payload)).toEqual([
      { theme: 'dark', locale: null },
      { theme: 'light', locale: 'en' },
    ]);
    expect(hub.listenerCount).toBe(1);
  });

  it('keeps delivering when one listener throws, and logs it', () => {
    const logger = createRecordingLogger();
    const hub = new EventHub(logger);
    const seen: string[] = [];
    hub.subscribe(() => {
      throw new Error('socket gone');
    });
    hub.subscribe((e) => seen.push(e.name));
    hub.emit('prefs:changed', { theme: 'dark', locale: null });
    expect(seen).toEqual(['prefs:changed']);
    expect(logger.lines).toMatchObject([
      { level: 'error', message: "An event listener failed on 'prefs:changed'" },
    ]);
  });

  it('does not skip a listener when another unsubscribes during delivery', () => {
    const hub = new EventHub(createRecordingLogger());
    const seen: string[] = [];
    const dispose = hub.subscribe(() => {
      seen.push('first');
      dispose();
    });
    hub.subscribe(() => seen.push('second'));
    hub.emit('prefs:changed', { theme: 'dark', locale: null });
    expect(seen).toEqual(['first', 'second']);
  });
});
