import { describe, expect, it } from 'vitest';
import { consoleKeyCombos } from '../../../shared/contract/consoles';
import { keycodesFor } from '../../../electron/consoles/key-combos';

describe('keycodesFor', () => {
  it('maps each menu entry to Linux input codes', () => {
    expect(keycodesFor('ctrl-alt-del')).toEqual([29, 56, 111]);
    expect(keycodesFor('ctrl-alt-backspace')).toEqual([29, 56, 14]);
    expect(keycodesFor('ctrl-alt-f1')).toEqual([29, 56, 59]);
    expect(keycodesFor('ctrl-alt-f10')).toEqual([29, 56, 68]);
    expect(keycodesFor('ctrl-alt-f11')).toEqual([29, 56, 87]);
    expect(keycodesFor('ctrl-alt-f12')).toEqual([29, 56, 88]);
    expect(keycodesFor('print')).toEqual([99]);
  });

  it('covers every combination the contract offers', () => {
    for (const combo of consoleKeyCombos) expect(keycodesFor(combo).length).toBeGreaterThan(0);
  });
});
