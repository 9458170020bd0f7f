/**
 * A small ISO 9660 image with one flat root directory, for the NoCloud `cidata` seed. Written
 * by us so seed creation needs no genisoimage/xorriso on the machine running the app, and the
 * bytes can be uploaded into a pool on any host. Besides the primary tree (8.3 upper-case names,
 * readable everywhere) it carries Rock Ridge (Linux's iso9660 driver and cloud-init then see the
 * exact names `user-data`, `meta-data`) and a Joliet tree (the same names for readers without
 * Rock Ridge). Layout, in 2048-byte sectors:
 *   0-15 system area · 16 primary descriptor · 17 Joliet descriptor · 18 terminator ·
 *   19-22 path tables (primary L, M; Joliet L, M) · primary root · Joliet root ·
 *   Rock Ridge continuation (the ER entry) · file data.
 */

const SECTOR = 2048;
const FIRST_VD = 16;
const NAME_RE = /^[A-Za-z0-9._-]{1,64}$/;
const LABEL_RE = /^[A-Za-z0-9_]{1,16}$/;
/** RRIP 1.10's registered identifier and texts: Linux only trusts Rock Ridge after an ER entry. */
const ER_ID = 'RRIP_1991A';
const ER_DESCRIPTOR =
  'THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS';
const ER_SOURCE =
  'PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN ' +
  'PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.';

export interface SeedFile {
  name: string;
  data: Buffer;
}

export function buildSeedIso(
  files: SeedFile[],
  volumeLabel = 'cidata',
  now: Date = new Date(),
): Buffer {
  // The Joliet label holds 16 UCS-2 characters; both labels must say the same (blkid compares).
  if (!LABEL_RE.test(volumeLabel)) {
    throw new Error('A volume label uses 1 to 16 letters, digits or _');
  }
  const seen = new Set<string>();
  for (const f of files) {
    if (!NAME_RE.test(f.name) || f.name === '.' || f.name === '..') {
      throw new Error(`"${f.name}" is not a seed file name (letters, digits, . _ -, at most 64)`);
    }
    if (seen.has(f.name)) throw new Error(`The seed has two files named "${f.name}"`);
    seen.add(f.name);
    if (f.data.length > 0xffff_ffff) throw new Error(`"${f.name}" is larger than 4 GiB`);
  }

  const primaryNames = shortNames(files.map((f) => f.name));
  const entries = files.map((f, i) => ({
    ...f,
    primary: Buffer.from(`${primaryNames[i]};1`, 'ascii'),
    // Joliet names without the ";1" version, as genisoimage writes them.
    joliet: ucs2(f.name),
    extent: 0,
  }));

  // Sizes first (records never cross a sector), then sector numbers, then the bytes.
  const rrSizes = entries.map((e) => recordLength(e.primary.length, rrFile(e.name).length));
  const rootSelfSu = rrRootSelf(0).length;
  const primaryDirBytes = dirBytes([
    recordLength(1, rootSelfSu),
    recordLength(1, rrDot().length),
    ...rrSizes,
  ]);
  const jolietDirBytes = dirBytes([
    34,
    34,
    ...entries.map((e) => recordLength(e.joliet.length, 0)),
  ]);

  let next = FIRST_VD + 3;
  const pathTables = { pl: next, pm: next + 1, jl: next + 2, jm: next + 3 };
  next += 4;
  const primaryRoot = next;
  next += primaryDirBytes / SECTOR;
  const jolietRoot = next;
  next += jolietDirBytes / SECTOR;
  const continuation = next;
  next += 1;
  for (const e of entries) {
    // An empty file owns no sector; extent 0 with length 0 is what mastering tools write.
    e.extent = e.data.length === 0 ? 0 : next;
    next += Math.ceil(e.data.length / SECTOR);
  }
  const totalSectors = next;

  const image = Buffer.alloc(totalSectors * SECTOR);
  const stamp = recordDate(now);

  // Primary tree, with Rock Ridge in each record's system use area.
  const primaryRecords = [
    dirRecord(primaryRoot, primaryDirBytes, true, Buffer.of(0), stamp, rrRootSelf(continuation)),
    dirRecord(primaryRoot, primaryDirBytes, true, Buffer.of(1), stamp, rrDot()),
    ...sortedBy(entries, (e) => e.primary).map((e) =>
      dirRecord(e.extent, e.data.length, false, e.primary, stamp, rrFile(e.name)),
    ),
  ];
  writeDir(image, primaryRoot, primaryRecords);
  const jolietRecords = [
    dirRecord(jolietRoot, jolietDirBytes, true, Buffer.of(0), stamp, Buffer.alloc(0)),
    dirRecord(jolietRoot, jolietDirBytes, true, Buffer.of(1), stamp, Buffer.alloc(0)),
    ...sortedBy(entries, (e) => e.joliet).map((e) =>
      dirRecord(e.extent, e.data.length, false, e.joliet, stamp, Buffer.alloc(0)),
    ),
  ];
  writeDir(image, jolietRoot, jolietRecords);
  erEntry().copy(image, continuation * SECTOR);
  for (const e of entries) e.data.copy(image, e.extent * SECTOR);

  writePathTables(image, pathTables.pl, pathTables.pm, primaryRoot);
  writePathTables(image, pathTables.jl, pathTables.jm, jolietRoot);

  const common = { totalSectors, now };
  volumeDescriptor(image, FIRST_VD, {
    ...common,
    joliet: false,
    label: volumeLabel,
    root: dirRecord(primaryRoot, primaryDirBytes, true, Buffer.of(0), stamp, Buffer.alloc(0)),
    pathL: pathTables.pl,
    pathM: pathTables.pm,
  });
  volumeDescriptor(image, FIRST_VD + 1, {
    ...common,
    joliet: true,
    label: volumeLabel,
    root: dirRecord(jolietRoot, jolietDirBytes, true, Buffer.of(0), stamp, Buffer.alloc(0)),
    pathL: pathTables.jl,
    pathM: pathTables.jm,
  });
  // Set terminator: type 255.
  const term = (FIRST_VD + 2) * SECTOR;
  image[term] = 255;
  image.write('CD001', term + 1, 'ascii');
  image[term + 6] = 1;
  return image;
}

/**
 * Level 1 names (8.3, d-characters) for the primary tree: `user-data` → `USER_DAT.`. Readers
 * without Rock Ridge or Joliet see these, so clashes get a numbered stem.
 */
function shortNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const dot = name.lastIndexOf('.');
    const clean = (s: string) => s.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
    const stem = clean(dot > 0 ? name.slice(0, dot) : name) || '_';
    const ext = clean(dot > 0 ? name.slice(dot + 1) : '').slice(0, 3);
    let candidate = `${stem.slice(0, 8)}.${ext}`;
    for (let n = 1; used.has(candidate); n++) {
      const suffix = String(n);
      candidate = `${stem.slice(0, 8 - suffix.length)}${suffix}.${ext}`;
    }
    used.add(candidate);
    return candidate;
  });
}

const ucs2 = (s: string): Buffer => {
  const b = Buffer.alloc(s.length * 2);
  for (let i = 0; i < s.length; i++) b.writeUInt16BE(s.charCodeAt(i), i * 2);
  return b;
};

/** The standard orders directory records by identifier (byte-wise once padded). */
function sortedBy<T>(items: T[], key: (t: T) => Buffer): T[] {
  return [...items].sort((a, b) => Buffer.compare(key(a), key(b)));
}

/** 33 fixed bytes, the identifier, a pad byte to even length, then the system use area, even. */
function recordLength(idLength: number, suLength: number): number {
  const base = 33 + idLength + (idLength % 2 === 0 ? 1 : 0);
  return base + suLength + (suLength % 2);
}

function dirBytes(lengths: number[]): number {
  let sectors = 1;
  let used = 0;
  for (const len of lengths) {
    if (used + len > SECTOR) {
      sectors++;
      used = 0;
    }
    used += len;
  }
  return sectors * SECTOR;
}

function writeDir(image: Buffer, sector: number, records: Buffer[]): void {
  let at = sector * SECTOR;
  for (const r of records) {
    if ((at % SECTOR) + r.length > SECTOR) at += SECTOR - (at % SECTOR);
    r.copy(image, at);
    at += r.length;
  }
}

function dirRecord(
  extent: number,
  size: number,
  dir: boolean,
  id: Buffer,
  stamp: Buffer,
  su: Buffer,
): Buffer {
  const rec = Buffer.alloc(recordLength(id.length, su.length));
  rec[0] = rec.length;
  both32(rec, 2, extent);
  both32(rec, 10, size);
  stamp.copy(rec, 18);
  rec[25] = dir ? 2 : 0;
  both16(rec, 28, 1); // volume sequence number
  rec[32] = id.length;
  id.copy(rec, 33);
  su.copy(rec, 33 + id.length + (id.length % 2 === 0 ? 1 : 0));
  return rec;
}

// ---- Rock Ridge (SUSP entries: two letters, length, version 1, payload) ----

function suEntry(sig: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(sig, 'ascii'), Buffer.of(payload.length + 4, 1), payload]);
}

const bothBuf32 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  both32(b, 0, n);
  return b;
};

/** PX (RRIP 1.10, no serial number): read-only for everyone, owned by root. */
const px = (mode: number, links: number): Buffer =>
  suEntry('PX', Buffer.concat([bothBuf32(mode), bothBuf32(links), bothBuf32(0), bothBuf32(0)]));

/** RR (RRIP 1.10) says which entries follow; Linux stops reading at an RR without them. */
const RR_PX = 0x01;
const RR_NM = 0x08;
const rr = (flags: number): Buffer => suEntry('RR', Buffer.of(flags));

/** The root's "." record: SP (SUSP is in use), then a CE pointing at the ER entry. */
function rrRootSelf(continuationSector: number): Buffer {
  const sp = suEntry('SP', Buffer.of(0xbe, 0xef, 0));
  const ce = suEntry(
    'CE',
    Buffer.concat([bothBuf32(continuationSector), bothBuf32(0), bothBuf32(erEntry().length)]),
  );
  return Buffer.concat([sp, rr(RR_PX), px(0o040555, 2), ce]);
}

const rrDot = (): Buffer => Buffer.concat([rr(RR_PX), px(0o040555, 2)]);

function rrFile(name: string): Buffer {
  const nm = suEntry('NM', Buffer.concat([Buffer.of(0), Buffer.from(name, 'ascii')]));
  return Buffer.concat([rr(RR_PX | RR_NM), nm, px(0o100444, 1)]);
}

function erEntry(): Buffer {
  const id = Buffer.from(ER_ID, 'ascii');
  const des = Buffer.from(ER_DESCRIPTOR, 'ascii');
  const src = Buffer.from(ER_SOURCE, 'ascii');
  const head = Buffer.of(id.length, des.length, src.length, 1);
  return suEntry('ER', Buffer.concat([head, id, des, src]));
}

// ---- Path tables and volume descriptors ----

/** One directory (the root): L table little-endian, M table big-endian, each 10 bytes. */
function writePathTables(image: Buffer, lSector: number, mSector: number, root: number): void {
  const l = lSector * SECTOR;
  image[l] = 1;
  image.writeUInt32LE(root, l + 2);
  image.writeUInt16LE(1, l + 6);
  const m = mSector * SECTOR;
  image[m] = 1;
  image.writeUInt32BE(root, m + 2);
  image.writeUInt16BE(1, m + 6);
}

interface DescriptorFields {
  joliet: boolean;
  label: string;
  root: Buffer;
  pathL: number;
  pathM: number;
  totalSectors: number;
  now: Date;
}

function volumeDescriptor(image: Buffer, sector: number, f: DescriptorFields): void {
  const at = sector * SECTOR;
  const vd = image.subarray(at, at + SECTOR);
  vd[0] = f.joliet ? 2 : 1;
  vd.write('CD001', 1, 'ascii');
  vd[6] = 1;
  // Text fields: a-/d-characters padded with spaces; Joliet's are UCS-2 big-endian.
  const text = (offset: number, length: number, value: string) => {
    const bytes = f.joliet ? ucs2(value) : Buffer.from(value, 'ascii');
    const field = vd.subarray(offset, offset + length);
    if (f.joliet) for (let i = 0; i + 1 < length; i += 2) field.writeUInt16BE(0x20, i);
    else field.fill(0x20);
    bytes.copy(field, 0, 0, Math.min(bytes.length, length - (length % 2)));
  };
  text(8, 32, 'LINUX');
  text(40, 32, f.label);
  both32(vd, 80, f.totalSectors);
  // Joliet level 3 (UCS-2, no restriction on the character set beyond the forbidden few).
  if (f.joliet) vd.write('%/E', 88, 'ascii');
  both16(vd, 120, 1); // volume set size
  both16(vd, 124, 1); // volume sequence number
  both16(vd, 128, SECTOR);
  both32(vd, 132, 10); // path table size: the root's record only
  vd.writeUInt32LE(f.pathL, 140);
  vd.writeUInt32BE(f.pathM, 148);
  f.root.copy(vd, 156);
  text(190, 128, ''); // volume set
  text(318, 128, ''); // publisher
  text(446, 128, ''); // data preparer
  text(574, 128, 'VIRTDECK');
  text(702, 37, '');
  text(739, 37, '');
  text(776, 37, '');
  descriptorDate(f.now).copy(vd, 813); // creation
  descriptorDate(f.now).copy(vd, 830); // modification
  descriptorDate(null).copy(vd, 847); // expiration: none
  descriptorDate(null).copy(vd, 864); // effective: at once
  vd[881] = 1; // file structure version
}

/** 7-byte directory-record time: years since 1900 … seconds, then the UTC offset (0). */
function recordDate(d: Date): Buffer {
  return Buffer.of(
    d.getUTCFullYear() - 1900,
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    0,
  );
}

/** 17-byte descriptor time "YYYYMMDDHHMMSScc" + UTC offset; all '0' means "not specified". */
function descriptorDate(d: Date | null): Buffer {
  const b = Buffer.alloc(17);
  if (d === null) {
    b.fill(0x30, 0, 16);
    return b;
  }
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const text =
    p(d.getUTCFullYear(), 4) +
    p(d.getUTCMonth() + 1) +
    p(d.getUTCDate()) +
    p(d.getUTCHours()) +
    p(d.getUTCMinutes()) +
    p(d.getUTCSeconds()) +
    p(Math.floor(d.getUTCMilliseconds() / 10));
  b.write(text, 0, 'ascii');
  return b;
}

/** ISO 9660 "both-byte orders" fields: little-endian then big-endian. */
function both32(b: Buffer, at: number, n: number): void {
  b.writeUInt32LE(n, at);
  b.writeUInt32BE(n, at + 4);
}

function both16(b: Buffer, at: number, n: number): void {
  b.writeUInt16LE(n, at);
  b.writeUInt16BE(n, at + 2);
}
