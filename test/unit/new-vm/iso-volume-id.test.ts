import { describe, expect, it } from 'vitest';
import { isoVolumeId } from '../../../electron/new-vm/iso-volume-id';

function descriptor(type: number, magic: string, label: string): Buffer {
  const b = Buffer.alloc(2048, 0);
  b[0] = type;
  b.write(magic, 1, 'latin1');
  b.fill(0x20, 40, 72);
  b.write(label, 40, 'latin1');
  return b;
}

describe('isoVolumeId', () => {
  it('reads the label of a primary volume descriptor, without its space padding', () => {
    expect(isoVolumeId(descriptor(1, 'CD001', 'Debian 11.5.0 amd64 n'))).toBe(
      'Debian 11.5.0 amd64 n',
    );
    expect(isoVolumeId(descriptor(1, 'CD001', 'A'.repeat(32)))).toBe('A'.repeat(32));
  });

  it('answers null for anything else: another descriptor type, no magic, an empty label, too few bytes', () => {
    expect(isoVolumeId(descriptor(2, 'CD001', 'JOLIET'))).toBeNull();
    expect(isoVolumeId(descriptor(1, 'NOTCD', 'X'))).toBeNull();
    expect(isoVolumeId(descriptor(1, 'CD001', ''))).toBeNull();
    expect(isoVolumeId(Buffer.alloc(40))).toBeNull();
  });
});
