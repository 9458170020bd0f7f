import { describe, expect, it } from 'vitest';
import { decodeCharArray, formatLibvirtVersion } from '../../../../electron/libvirt/facade/node';

describe('node decoding helpers', () => {
  it('decodes char[32] sent one 4-byte int per character', () => {
    const model = [...Buffer.from('x86_64')].concat(Array(26).fill(0));
    expect(decodeCharArray(model)).toBe('x86_64');
    // A full array without NUL, and a signed char above 127 (UTF-8 'é' = c3 a9).
    expect(decodeCharArray([0x61, -61, -87, 0x62])).toBe('aéb');
  });

  it('formats libvirt version numbers', () => {
    expect(formatLibvirtVersion(9000000)).toBe('9.0.0');
    expect(formatLibvirtVersion(7002022)).toBe('7.2.22');
    expect(formatLibvirtVersion(11007001n)).toBe('11.7.1');
    expect(() => formatLibvirtVersion(-1)).toThrow(RangeError);
  });
});
