import { crc32, deflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Far above any real display; refuses nonsense headers before allocating. */
const MAX_PIXELS = 16384 * 16384;

export function isPng(data: Buffer): boolean {
  return data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE);
}

/**
 * A binary PPM (P6, maxval 255) — what QEMU before 7.1 gives libvirt's screenshot — as a
 * PNG. Throws on anything else.
 */
export function pngFromPpm(ppm: Buffer): Buffer {
  const header = parsePpmHeader(ppm);
  const { width, height, offset } = header;
  const rowBytes = width * 3;
  if (ppm.length - offset < rowBytes * height) throw new Error('The PPM screenshot is truncated');
  // Each PNG row starts with its filter byte (0: none).
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    ppm.copy(raw, y * (rowBytes + 1) + 1, offset + y * rowBytes, offset + (y + 1) * rowBytes);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function parsePpmHeader(ppm: Buffer): { width: number; height: number; offset: number } {
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4 && i < ppm.length && i < 4096) {
    const c = ppm[i] as number;
    if (c === 0x23) {
      while (i < ppm.length && ppm[i] !== 0x0a) i++;
    } else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      i++;
    } else {
      let word = '';
      while (i < ppm.length && !/\s/.test(String.fromCharCode(ppm[i] as number))) {
        word += String.fromCharCode(ppm[i] as number);
        i++;
      }
      fields.push(word);
    }
  }
  const [magic, w, h, max] = fields;
  const width = Number(w);
  const height = Number(h);
  if (magic !== 'P6' || max !== '255') {
    throw new Error('The screenshot is neither PNG nor an 8-bit binary PPM');
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error('The PPM screenshot has no valid size');
  }
  if (width * height > MAX_PIXELS)
    throw new Error(`The screenshot is too large (${width}×${height})`);
  // Exactly one whitespace byte separates the header from the pixels.
  return { width, height, offset: i + 1 };
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0, 0);
  return Buffer.concat([length, typeAndData, crc]);
}
