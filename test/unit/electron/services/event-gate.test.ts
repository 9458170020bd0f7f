import { describe, expect, it } from 'vitest';
import { EventGate } from '../../../../electron/services/event-gate';

describe('EventGate', () => {
  it('holds items until opened, then delivers them in order and passes later ones through', () => {
    const gate = new EventGate<number>();
    const seen: number[] = [];
    gate.push(1);
    gate.push(2);
    expect(gate.queued).toBe(2);
    gate.open((n) => seen.push(n));
    gate.push(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(gate.queued).toBe(0);
  });

  it('holds again after close (a reload), delivering to the new receiver', () => {
    const gate = new EventGate<string>();
    const first: string[] = [];
    const second: string[] = [];
    gate.open((s) => first.push(s));
    gate.push('a');
    gate.close();
    gate.push('b');
    gate.open((s) => second.push(s));
    expect(first).toEqual(['a']);
    expect(second).toEqual(['b']);
  });

  it('drops the oldest items beyond its limit', () => {
    const gate = new EventGate<number>(3);
    for (let n = 1; n <= 5; n++) gate.push(n);
    const seen: number[] = [];
    gate.open((n) => seen.push(n));
    expect(seen).toEqual([3, 4, 5]);
  });
});
