import { existsSync } from 'node:fs';
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectOs } from '../../../electron/new-vm/osinfo/detect-os';
import { readOsCatalog } from '../../../electron/new-vm/osinfo/read-os-catalog';

const SYSTEM_OSINFO = '/usr/share/osinfo';
const haveOsinfo = existsSync(path.join(SYSTEM_OSINFO, 'os'));
const GiB = 1024 ** 3;

describe.skipIf(!haveOsinfo)('osinfo-db reader against the real /usr/share/osinfo', () => {
  it('reads the whole database with its version, newest releases first', async () => {
    const { catalog } = await readOsCatalog(SYSTEM_OSINFO);
    expect(catalog.source).toBe('osinfo-db');
    expect(catalog.version).toMatch(/^\d{8}$/);
    expect(catalog.oses.length).toBeGreaterThan(300);
    const firstEol = catalog.oses.findIndex((o) => o.eol);
    expect(firstEol).toBeGreaterThan(0);
    expect(catalog.oses.slice(firstEol).every((o) => o.eol)).toBe(true);
  });

  it('Debian 11: virtio disk and NIC inherited from older releases, figures from osinfo', async () => {
    const { byId } = await readOsCatalog(SYSTEM_OSINFO);
    const debian = byId.get('http://debian.org/debian/11');
    expect(debian).toMatchObject({
      shortId: 'debian11',
      name: 'Debian 11',
      family: 'linux',
      distro: 'debian',
      windows: false,
      // debian-11.xml itself lists only virtio-gpu/-fs: block and net come from debian 6–10.
      virtioDisk: true,
      virtioNet: true,
      tpm: false,
      secureBoot: false,
      minimum: { memoryBytes: 1 * GiB, vcpus: 1, diskBytes: 10 * GiB },
      recommended: { memoryBytes: 1 * GiB, diskBytes: 20 * GiB },
    });
    expect(
      debian?.cloudImageUrls.some((u) => u.arch === 'x86_64' && u.url.endsWith('.qcow2')),
    ).toBe(true);
  });

  it('Windows 11: UEFI required, TPM and Secure Boot, Windows preset, no inbox virtio', async () => {
    const { byId } = await readOsCatalog(SYSTEM_OSINFO);
    const win = byId.get('http://microsoft.com/win/11');
    expect(win).toMatchObject({
      shortId: 'win11',
      family: 'winnt',
      efi: 'required',
      tpm: true,
      secureBoot: true,
      windows: true,
      virtioDisk: false,
      minimum: { memoryBytes: 4 * GiB, vcpus: 2, diskBytes: 64 * GiB },
    });
    // Windows 10 is Windows but neither requires UEFI nor gets TPM/Secure Boot by default.
    expect(byId.get('http://microsoft.com/win/10')).toMatchObject({ windows: true, tpm: false });
  });

  it('a network tree URL and an OS maximum where osinfo has them', async () => {
    const { byId } = await readOsCatalog(SYSTEM_OSINFO);
    const fedora = byId.get('http://fedoraproject.org/fedora/37');
    expect(fedora?.treeUrls.find((t) => t.arch === 'x86_64')?.url).toMatch(/^https:\/\/.*\/37\//);
    const eln = byId.get('http://fedoraproject.org/fedora/eln');
    expect(eln?.maximum.vcpus).toBe(768);
  });

  it('detects the OS from an ISO volume label and from file names', async () => {
    const index = await readOsCatalog(SYSTEM_OSINFO);
    expect(detectOs(index, { volumeId: 'Debian 11.5.0 amd64 n', fileName: 'x.iso' })).toEqual({
      osId: 'http://debian.org/debian/11',
      matchedBy: 'volume-id',
      volumeId: 'Debian 11.5.0 amd64 n',
    });
    expect(
      detectOs(index, { volumeId: null, fileName: 'debian-11.6.0-amd64-netinst.iso' }).osId,
    ).toBe('http://debian.org/debian/11');
    // Newer than this database: the newest Debian it knows, not nothing and not Debian 1.
    expect(
      detectOs(index, { volumeId: null, fileName: 'debian-12.5.0-amd64-netinst.iso' }),
    ).toMatchObject({ osId: 'http://debian.org/debian/11', matchedBy: 'name' });
    expect(detectOs(index, { volumeId: null, fileName: 'Win11_22H2_English_x64.iso' }).osId).toBe(
      'http://microsoft.com/win/11',
    );
    expect(
      detectOs(index, { volumeId: 'NOT A KNOWN LABEL', fileName: 'random-stuff.iso' }),
    ).toEqual({ osId: null, matchedBy: null, volumeId: 'NOT A KNOWN LABEL' });
  });
});

describe('osinfo-db reader fallbacks', () => {
  it('answers the built-in generic list with a note when the folder has no database', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vd-osinfo-none-'));
    try {
      const { catalog } = await readOsCatalog(dir);
      expect(catalog.source).toBe('builtin');
      expect(catalog.note).toContain(dir);
      expect(catalog.oses.map((o) => o.shortId)).toEqual([
        'linux2022',
        'win10',
        'win11',
        'freebsd',
        'other',
      ]);
      expect(catalog.oses.find((o) => o.shortId === 'win11')).toMatchObject({
        tpm: true,
        secureBoot: true,
        efi: 'required',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('resolves inheritance in a small database and withdraws a device marked unsupported', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vd-osinfo-mini-'));
    try {
      await mkdir(path.join(dir, 'os', 'example.org'), { recursive: true });
      const os = (id: string, body: string) =>
        `<?xml version="1.0"?><libosinfo version="0.0.1"><os id="http://example.org/${id}"><short-id>${id}</short-id><name>${id}</name><name xml:lang="de">nicht</name><family>linux</family><distro>ex</distro><version>${id.slice(2)}</version>${body}</os></libosinfo>`;
      await writeFile(
        path.join(dir, 'os', 'example.org', 'ex1.xml'),
        os(
          'ex1',
          `<resources arch="all"><minimum><ram>536870912</ram></minimum></resources><devices><device id="http://pcisig.com/pci/1af4/1001"/><device id="http://pcisig.com/pci/1af4/1000"/></devices><media arch="x86_64"><iso><volume-id>^EX1 </volume-id></iso></media>`,
        ),
      );
      await writeFile(
        path.join(dir, 'os', 'example.org', 'ex2.xml'),
        os(
          'ex2',
          `<derives-from id="http://example.org/ex1"/><devices><device id="http://pcisig.com/pci/1af4/1000" supported="false"/></devices>`,
        ),
      );
      await writeFile(path.join(dir, 'VERSION'), '20990101\n');
      const { catalog, byId } = await readOsCatalog(dir);
      expect(catalog).toMatchObject({ source: 'osinfo-db', version: '20990101' });
      expect(byId.get('http://example.org/ex2')).toMatchObject({
        name: 'ex2',
        virtioDisk: true,
        virtioNet: false,
        minimum: { memoryBytes: 512 * 1024 ** 2 },
        recommended: { memoryBytes: 512 * 1024 ** 2 },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
