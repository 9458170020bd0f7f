import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isPng, pngFromPpm } from '../../../electron/consoles/png-from-ppm';

describe('pngFromPpm', () => {
  it('turns a binary PPM (with a comment) into a PNG with the same pixels', () => {
    const pixels = Buffer.from([
      255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90,
    ]);
    const ppm = Buffer.concat([Buffer.from('P6\n# from QEMU\n3 2\n255\n', 'latin1'), pixels]);
    const png = pngFromPpm(ppm);
    expect(isPng(png)).toBe(true);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(3);
    expect(png.readUInt32BE(20)).toBe(2);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('latin1')).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect(raw).toEqual(
      Buffer.concat([
        Buffer.from([0]),
        pixels.subarray(0, 9),
        Buffer.from([0]),
        pixels.subarray(9),
      ]),
    );
  });

  it('refuses other formats, truncated data and absurd sizes', () => {
    expect(() => pngFromPpm(Buffer.from('P3\n1 1\n255\n0 0 0\n'))).toThrow(/neither PNG nor/);
    expect(() => pngFromPpm(Buffer.from('P6\n2 2\n255\n\x00\x00\x00', 'latin1'))).toThrow(
      /truncated/,
    );
    expect(() => pngFromPpm(Buffer.from('P6\n99999 99999\n255\n', 'latin1'))).toThrow(/too large/);
    expect(() => pngFromPpm(Buffer.from('P6\n0 1\n255\n', 'latin1'))).toThrow(/no valid size/);
  });
});
