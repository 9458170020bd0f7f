import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noCloudFiles } from '../../../electron/new-vm/cloud-init/nocloud-files';
import { buildSeedIso } from '../../../electron/new-vm/cloud-init/seed-iso';
import { findExecutable } from '../../harness/find-executable';

const tool = (name: string): string | null => {
  try {
    return findExecutable(name);
  } catch {
    return null;
  }
};
const ISOINFO = tool('isoinfo');
const BLKID = tool('blkid');
const NO_ISOINFO = '(skipped: isoinfo is not installed; apt-get install genisoimage)';
const NO_BLKID = '(skipped: blkid is not installed; apt-get install util-linux)';

/** The primary root directory's sector, from the descriptor's root record. */
const vd0Root = (image: Buffer): number => image.readUInt32LE(16 * 2048 + 156 + 2);

const run = (file: string, args: string[]): Buffer =>
  execFileSync(file, args, { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });

describe('buildSeedIso', () => {
  let dir = '';
  let isoPath = '';
  let files: { name: string; data: Buffer }[] = [];
  let image: Buffer = Buffer.alloc(0);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'virtdeck-seed-'));
    files = [
      ...noCloudFiles(
        {
          user: 'alice',
          password: 'pw',
          sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtleQ alice@x'],
          hostname: 'vm1',
          userData: '#cloud-config\nruncmd: [true]\n',
        },
        'iid-9d1c',
      ),
      { name: 'network-config', data: Buffer.from('version: 2\nethernets: {}\n') },
      // More than two sectors of binary data, and an empty file: extents and padding.
      { name: 'vendor-data', data: randomBytes(5000) },
      { name: 'empty', data: Buffer.alloc(0) },
    ];
    image = buildSeedIso(files, 'cidata', new Date(Date.UTC(2026, 10, 24, 7, 5, 9)));
    isoPath = join(dir, 'seed.iso');
    writeFileSync(isoPath, image);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lays out descriptors with consistent both-endian fields', () => {
    expect(image.length % 2048).toBe(0);
    expect(image.subarray(0, 16 * 2048).every((b) => b === 0)).toBe(true);
    const vd = (n: number) => image.subarray((16 + n) * 2048, (17 + n) * 2048);
    expect([vd(0)[0], vd(1)[0], vd(2)[0]]).toEqual([1, 2, 255]);
    for (const n of [0, 1, 2]) expect(vd(n).toString('ascii', 1, 6)).toBe('CD001');
    for (const n of [0, 1]) {
      const d = vd(n);
      expect(d.readUInt32LE(80)).toBe(image.length / 2048);
      expect(d.readUInt32BE(84)).toBe(image.length / 2048);
      expect(d.readUInt16LE(128)).toBe(2048);
      expect(d.readUInt16BE(130)).toBe(2048);
      expect(d.toString('ascii', 813, 829)).toBe('2026112407050900');
    }
    expect(vd(0).toString('ascii', 40, 72)).toBe('cidata'.padEnd(32));
    expect(vd(1).toString('ascii', 88, 91)).toBe('%/E');
  });

  it('announces Rock Ridge the way Linux requires: SP first in the root, ER through CE', () => {
    // Linux's isofs prefers Rock Ridge over Joliet only after it has read an ER entry.
    const root = vd0Root(image);
    const self = image.subarray(root * 2048, root * 2048 + (image[root * 2048] ?? 0));
    const su = self.subarray(34); // 33 fixed bytes + the 1-byte identifier
    expect([...su.subarray(0, 7)]).toEqual([0x53, 0x50, 7, 1, 0xbe, 0xef, 0]);
    const ceAt = su.indexOf('CE');
    expect(ceAt).toBeGreaterThan(0);
    const [sector, offset, length] = [4, 12, 20].map((o) => su.readUInt32LE(ceAt + o));
    const er = image.subarray((sector ?? 0) * 2048 + (offset ?? 0)).subarray(0, length);
    expect(er.toString('ascii', 0, 2)).toBe('ER');
    expect(er.toString('ascii', 8, 8 + (er[4] ?? 0))).toBe('RRIP_1991A');
  });

  it.skipIf(!ISOINFO)(
    `isoinfo reads the label and finds Joliet and Rock Ridge ${ISOINFO ? '' : NO_ISOINFO}`,
    () => {
      const out = run(ISOINFO ?? '', ['-d', '-i', isoPath]).toString();
      expect(out).toMatch(/^Volume id: cidata$/m);
      expect(out).toMatch(/^Volume size is: (\d+)$/m);
      expect(out).toContain(`Volume size is: ${image.length / 2048}`);
      expect(out).toMatch(/Joliet with UCS level 3 found/);
      expect(out).toMatch(/Rock Ridge signatures version 1 found/);
    },
    60_000,
  );

  const names = () => files.map((f) => f.name).sort();
  /** `isoinfo -l`'s file rows: mode, size and name. */
  const listing = (flag: string[]) =>
    run(ISOINFO ?? '', ['-l', ...flag, '-i', isoPath])
      .toString()
      .split('\n')
      .map((l) => /^(\S{10})\s+\d+\s+\d+\s+\d+\s+(\d+) .*\]\s+(.+?)\s*$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && m[3] !== '.' && m[3] !== '..')
      .map((m) => ({ mode: m[1], size: Number(m[2]), name: m[3] ?? '' }));

  it.skipIf(!ISOINFO)(
    `keeps the exact names under Rock Ridge and Joliet ${ISOINFO ? '' : NO_ISOINFO}`,
    () => {
      const rr = listing(['-R']);
      expect(rr.map((e) => e.name).sort()).toEqual(names());
      for (const e of rr) {
        expect(e.mode).toBe('-r--r--r--');
        expect(e.size).toBe(files.find((f) => f.name === e.name)?.data.length);
      }
      expect(
        listing(['-J'])
          .map((e) => e.name)
          .sort(),
      ).toEqual(names());
      // Readers with neither extension get 8.3 upper-case names.
      expect(
        listing([])
          .map((e) => e.name)
          .sort(),
      ).toEqual(['EMPTY.;1', 'META_DAT.;1', 'NETWORK_.;1', 'USER_DAT.;1', 'VENDOR_D.;1']);
    },
    60_000,
  );

  it.skipIf(!ISOINFO)(
    `gives back every file byte for byte ${ISOINFO ? '' : NO_ISOINFO}`,
    () => {
      for (const f of files) {
        expect(run(ISOINFO ?? '', ['-R', '-x', `/${f.name}`, '-i', isoPath]).equals(f.data)).toBe(
          true,
        );
        expect(run(ISOINFO ?? '', ['-J', '-x', `/${f.name}`, '-i', isoPath]).equals(f.data)).toBe(
          true,
        );
      }
    },
    60_000,
  );

  it.skipIf(!BLKID)(
    `is an iso9660 file system labelled cidata for blkid ${BLKID ? '' : NO_BLKID}`,
    () => {
      // cloud-init's NoCloud finds its seed by exactly this probe (TYPE and LABEL).
      const r = spawnSync(BLKID ?? '', ['-p', '-o', 'export', isoPath], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^TYPE=iso9660$/m);
      expect(r.stdout).toMatch(/^LABEL=cidata$/m);
    },
    60_000,
  );

  it('refuses names and labels it cannot write faithfully', () => {
    const data = Buffer.from('x');
    expect(() => buildSeedIso([{ name: 'a/b', data }])).toThrow(/not a seed file name/);
    expect(() => buildSeedIso([{ name: '..', data }])).toThrow(/not a seed file name/);
    expect(() => buildSeedIso([{ name: 'x'.repeat(65), data }])).toThrow(/at most 64/);
    expect(() =>
      buildSeedIso([
        { name: 'a', data },
        { name: 'a', data },
      ]),
    ).toThrow(/two files/);
    expect(() => buildSeedIso([], 'ci data')).toThrow(/volume label/);
    expect(() => buildSeedIso([], 'x'.repeat(17))).toThrow(/volume label/);
  });

  it.skipIf(!ISOINFO)(
    `keeps clashing short names apart and spans directory sectors ${ISOINFO ? '' : NO_ISOINFO}`,
    () => {
      // 40 long names: the Rock Ridge directory outgrows one sector.
      const many = Array.from({ length: 40 }, (_, i) => ({
        name: `long-file-name-number-${String(i).padStart(2, '0')}`,
        data: Buffer.from(`file ${i}\n`),
      }));
      const path = join(dir, 'many.iso');
      writeFileSync(path, buildSeedIso(many, 'CIDATA'));
      const rr = run(ISOINFO ?? '', ['-R', '-l', '-i', path]).toString();
      for (const f of many) expect(rr).toContain(` ${f.name} `);
      const plain = run(ISOINFO ?? '', ['-l', '-i', path]).toString();
      const short = [...plain.matchAll(/\s(\S+;1)\s*$/gm)].map((m) => m[1]);
      expect(new Set(short).size).toBe(40);
      const last = many[39];
      expect(run(ISOINFO ?? '', ['-R', '-x', `/${last?.name}`, '-i', path]).toString()).toBe(
        'file 39\n',
      );
      expect(run(ISOINFO ?? '', ['-d', '-i', path]).toString()).toMatch(/^Volume id: CIDATA$/m);
    },
    60_000,
  );
});
