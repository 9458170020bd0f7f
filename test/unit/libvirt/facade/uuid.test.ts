import { describe, expect, it } from 'vitest';
import { formatUuid, isUuid, parseUuid } from '../../../../electron/libvirt/facade/uuid';

describe('UUID helpers', () => {
  it('formats the 16 wire bytes canonically and parses them back', () => {
    const bytes = new Uint8Array([
      0x66, 0x95, 0xeb, 0x01, 0xf6, 0xa4, 0x83, 0x04, 0x79, 0xaa, 0x97, 0xf2, 0x50, 0x2e, 0x19,
      0x3f,
    ]);
    expect(formatUuid(bytes)).toBe('6695eb01-f6a4-8304-79aa-97f2502e193f');
    expect(parseUuid('6695EB01-F6A4-8304-79AA-97F2502E193F')).toEqual(bytes);
    expect(parseUuid('6695eb01f6a4830479aa97f2502e193f')).toEqual(bytes);
    // A view into a larger buffer (as the XDR reader hands it out) formats only its bytes.
    const backing = new Uint8Array(32);
    backing.set(bytes, 8);
    expect(formatUuid(backing.subarray(8, 24))).toBe('6695eb01-f6a4-8304-79aa-97f2502e193f');
  });

  it('refuses anything that is not a UUID', () => {
    for (const bad of [
      '',
      'test',
      '6695eb01-f6a4-8304-79aa-97f2502e193',
      '6695eb01-f6a4-8304-79aa-97f2502e193fz',
    ]) {
      expect(isUuid(bad)).toBe(false);
      expect(() => parseUuid(bad)).toThrow(TypeError);
    }
    expect(() => formatUuid(new Uint8Array(15))).toThrow(RangeError);
  });
});
