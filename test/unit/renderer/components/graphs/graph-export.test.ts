import { describe, expect, it } from 'vitest';
import {
  exportFileName,
  seriesToCsv,
} from '../../../../../renderer/src/components/graphs/graph-export';

describe('seriesToCsv', () => {
  it('writes ISO times, one column per series and empty fields for missing values', () => {
    const csv = seriesToCsv(
      [Date.UTC(2025, 0, 2, 3, 4, 5), Date.UTC(2025, 0, 2, 3, 4, 7)],
      [
        { label: 'CPU of host [%]', values: [1.5, null] },
        { label: 'read, "disk" [B/s]', values: [Number.NaN, 2048] },
      ],
    );
    expect(csv).toBe(
      'time,CPU of host [%],"read, ""disk"" [B/s]"\r\n' +
        '2025-01-02T03:04:05.000Z,1.5,\r\n' +
        '2025-01-02T03:04:07.000Z,,2048\r\n',
    );
  });
});

describe('exportFileName', () => {
  it('keeps only safe characters', () => {
    const name = exportFileName(
      ['web/01', 'Disk I/O', '5m'],
      'png',
      new Date(Date.UTC(2025, 5, 1, 8, 9, 10)),
    );
    expect(name).toBe('web-01_Disk-I-O_5m_2025-06-01-08-09-10.png');
  });
});
