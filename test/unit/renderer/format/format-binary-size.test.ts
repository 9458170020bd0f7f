import { describe, expect, it } from 'vitest';
import { formatBinarySize, kibToBytes } from '../../../../renderer/src/format/format-binary-size';

describe('formatBinarySize', () => {
  it('uses binary units with one decimal below 100', () => {
    expect(formatBinarySize(0n)).toBe('0 B');
    expect(formatBinarySize(1023n)).toBe('1,023 B');
    expect(formatBinarySize(1024n)).toBe('1 KiB');
    expect(formatBinarySize(1536n)).toBe('1.5 KiB');
    expect(formatBinarySize(16n * 1024n ** 3n)).toBe('16 GiB');
    // 65742960 KiB, a 64 GB machine as libvirt reports it.
    expect(formatBinarySize(65742960n * 1024n)).toBe('62.7 GiB');
    expect(formatBinarySize(500n * 1024n ** 3n)).toBe('500 GiB');
  });

  it('keeps 64-bit sizes exact and localises the number', () => {
    expect(formatBinarySize(2n ** 64n - 1n)).toBe('16 EiB');
    expect(formatBinarySize(1536n * 1024n ** 3n, 'de')).toBe('1,5 TiB');
  });

  it('reads libvirt KiB strings and refuses anything else', () => {
    expect(kibToBytes('1024')).toBe(1048576n);
    expect(kibToBytes('18446744073709551615')).toBe(18446744073709551615n * 1024n);
    expect(kibToBytes('-1')).toBeNull();
    expect(kibToBytes('1.5')).toBeNull();
    expect(kibToBytes('')).toBeNull();
  });
});
