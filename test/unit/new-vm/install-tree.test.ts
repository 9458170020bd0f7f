import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchToBuffer } from '../../../electron/new-vm/install-tree/fetch-to-buffer';
import { InstallTreeError } from '../../../electron/new-vm/install-tree/http-request';
import { resolveInstallTree } from '../../../electron/new-vm/install-tree/resolve-install-tree';

/**
 * A real HTTP server on loopback serving install trees in each layout the resolver knows,
 * plus the misbehaviours it must explain: refused HEAD, redirects, errors, stalls.
 */
const KERNEL = randomBytes(3000);
const INITRD = randomBytes(70_000);

const files = new Map<string, Buffer>();
const put = (path: string, data: Buffer | string) =>
  files.set(path, typeof data === 'string' ? Buffer.from(data) : data);

// Fedora-style tree with a productmd .treeinfo naming non-default paths.
put(
  '/fedora/.treeinfo',
  [
    '[header]',
    'type = productmd.treeinfo',
    'version = 1.2',
    '',
    '[release]',
    'name = Fedora',
    'short = Fedora',
    'version = 41',
    '',
    '[images-x86_64]',
    'kernel = boot/vmlinuz-custom',
    'initrd = boot/initrd-custom.img',
    '',
    '[images-aarch64]',
    'kernel = boot/aarch64/vmlinuz',
    'initrd = boot/aarch64/initrd.img',
  ].join('\n'),
);
put('/fedora/boot/vmlinuz-custom', KERNEL);
put('/fedora/boot/initrd-custom.img', INITRD);
// Old-style treeinfo (no dot, [general]) naming no images: the layouts are probed.
put(
  '/oldrhel/treeinfo',
  '[general]\nfamily = Red Hat Enterprise Linux\nversion = 7.9\narch = x86_64\n',
);
put('/oldrhel/images/pxeboot/vmlinuz', KERNEL);
put('/oldrhel/images/pxeboot/initrd.img', INITRD);
// Red Hat layout without any treeinfo.
put('/rhel/images/pxeboot/vmlinuz', KERNEL);
put('/rhel/images/pxeboot/initrd.img', INITRD);
// Debian: netboot under dists/<suite>/; the mirror root falls back to stable.
const di = 'main/installer-amd64/current/images/netboot/debian-installer/amd64';
put(`/debian/dists/bookworm/${di}/linux`, KERNEL);
put(`/debian/dists/bookworm/${di}/initrd.gz`, INITRD);
put(`/debian/dists/stable/${di}/linux`, KERNEL);
put(`/debian/dists/stable/${di}/initrd.gz`, INITRD);
// Ubuntu 20.04's legacy netboot images.
const ui = 'main/installer-amd64/current/legacy-images/netboot/ubuntu-installer/amd64';
put(`/ubuntu/dists/focal/${ui}/linux`, KERNEL);
put(`/ubuntu/dists/focal/${ui}/initrd.gz`, INITRD);
// openSUSE.
put('/opensuse/boot/x86_64/loader/linux', KERNEL);
put('/opensuse/boot/x86_64/loader/initrd', INITRD);
// A kernel without an initrd.
put('/half/images/pxeboot/vmlinuz', KERNEL);
// A server that refuses HEAD (the resolver must fall back to a ranged GET).
put('/nohead/images/pxeboot/vmlinuz', KERNEL);
put('/nohead/images/pxeboot/initrd.img', INITRD);

const seen: string[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  seen.push(`${req.method} ${path}${req.headers.range ? ` ${req.headers.range}` : ''}`);
  if (path.startsWith('/nohead/') && req.method === 'HEAD') {
    res.writeHead(405, { allow: 'GET' }).end();
    return;
  }
  if (path.startsWith('/broken/')) {
    res.writeHead(500, 'Internal Server Error').end('oops');
    return;
  }
  if (path === '/redirect-ftp/.treeinfo') {
    res.writeHead(302, { location: 'ftp://127.0.0.1/pub/.treeinfo' }).end();
    return;
  }
  if (path.startsWith('/moved/')) {
    res.writeHead(301, { location: path.replace('/moved/', '/rhel/') }).end();
    return;
  }
  if (path === '/loop') {
    res.writeHead(302, { location: '/loop' }).end();
    return;
  }
  if (path === '/huge') {
    // Announces its size: refused before any body byte is read.
    res.writeHead(200, { 'content-length': String(10 * 1024 ** 3) });
    res.write(Buffer.alloc(1024));
    return; // never ends; the client must not wait for it
  }
  if (path === '/endless') {
    // Chunked, no length: refused once more than the limit has arrived.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const tick = () => {
      if (res.destroyed) return;
      res.write(Buffer.alloc(16 * 1024), () => setImmediate(tick));
    };
    tick();
    return;
  }
  if (path === '/stall') {
    res.writeHead(200, { 'content-length': '100000' });
    res.write(Buffer.alloc(1000));
    return; // sends nothing more
  }
  if (path.startsWith('/silent/')) return; // never answers at all
  const body = files.get(path);
  if (!body) {
    res.writeHead(404, 'Not Found').end();
    return;
  }
  const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
  if (range && req.method === 'GET') {
    const [from, to] = [Number(range[1]), Number(range[2])];
    res.writeHead(206, {
      'content-range': `bytes ${from}-${to}/${body.length}`,
      'content-length': String(to - from + 1),
    });
    res.end(body.subarray(from, to + 1));
    return;
  }
  res.writeHead(200, { 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

let server: Server;
let root = '';
let closedPort = 0;

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port nothing listens on: bind one, note it, close it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const failure = async (p: Promise<unknown>): Promise<InstallTreeError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InstallTreeError);
  return err as InstallTreeError;
};

const T = 60_000;

describe('resolveInstallTree', () => {
  it(
    'uses .treeinfo for the kernel, initrd and release',
    async () => {
      const tree = await resolveInstallTree(`${root}/fedora`, { arch: 'x86_64' });
      expect(tree).toEqual({
        kernelUrl: `${root}/fedora/boot/vmlinuz-custom`,
        initrdUrl: `${root}/fedora/boot/initrd-custom.img`,
        treeInfo: { family: 'Fedora', version: '41' },
        layout: 'treeinfo',
      });
      const arm = await resolveInstallTree(`${root}/fedora/`, { arch: 'aarch64' }).catch(
        (e: unknown) => e,
      );
      // The aarch64 images .treeinfo names are missing from this tree: said plainly.
      expect(String((arm as Error).message)).toMatch(/names .*boot\/aarch64\/vmlinuz.*HTTP 404/);
    },
    T,
  );

  it(
    'falls back to the known layouts, keeping what treeinfo says about the release',
    async () => {
      const rhel = await resolveInstallTree(`${root}/oldrhel/`, { arch: 'x86_64' });
      expect(rhel).toMatchObject({
        kernelUrl: `${root}/oldrhel/images/pxeboot/vmlinuz`,
        initrdUrl: `${root}/oldrhel/images/pxeboot/initrd.img`,
        treeInfo: { family: 'Red Hat Enterprise Linux', version: '7.9' },
        layout: 'redhat',
      });
      expect(await resolveInstallTree(`${root}/rhel`, { arch: 'x86_64' })).toEqual({
        kernelUrl: `${root}/rhel/images/pxeboot/vmlinuz`,
        initrdUrl: `${root}/rhel/images/pxeboot/initrd.img`,
        treeInfo: { family: null, version: null },
        layout: 'redhat',
      });
      expect(
        await resolveInstallTree(`${root}/debian/dists/bookworm/`, { arch: 'x86_64' }),
      ).toEqual({
        kernelUrl: `${root}/debian/dists/bookworm/${di}/linux`,
        initrdUrl: `${root}/debian/dists/bookworm/${di}/initrd.gz`,
        treeInfo: { family: 'Debian', version: null },
        layout: 'debian',
      });
      expect((await resolveInstallTree(`${root}/debian/`, { arch: 'x86_64' })).kernelUrl).toBe(
        `${root}/debian/dists/stable/${di}/linux`,
      );
      expect(
        (
          await resolveInstallTree(`${root}/debian/dists/bookworm/main/installer-amd64/`, {
            arch: 'x86_64',
          })
        ).initrdUrl,
      ).toBe(`${root}/debian/dists/bookworm/${di}/initrd.gz`);
      expect(
        await resolveInstallTree(`${root}/ubuntu/dists/focal`, { arch: 'x86_64' }),
      ).toMatchObject({
        kernelUrl: `${root}/ubuntu/dists/focal/${ui}/linux`,
        layout: 'ubuntu',
        treeInfo: { family: 'Ubuntu' },
      });
      expect(await resolveInstallTree(`${root}/opensuse/`, { arch: 'x86_64' })).toMatchObject({
        kernelUrl: `${root}/opensuse/boot/x86_64/loader/linux`,
        initrdUrl: `${root}/opensuse/boot/x86_64/loader/initrd`,
        layout: 'suse',
      });
    },
    T,
  );

  it(
    'probes with a one-byte GET where HEAD is refused',
    async () => {
      seen.length = 0;
      const tree = await resolveInstallTree(`${root}/nohead/`, { arch: 'x86_64' });
      expect(tree.kernelUrl).toBe(`${root}/nohead/images/pxeboot/vmlinuz`);
      expect(seen).toContain('HEAD /nohead/images/pxeboot/vmlinuz');
      expect(seen).toContain('GET /nohead/images/pxeboot/vmlinuz bytes=0-0');
    },
    T,
  );

  it(
    'follows http redirects, and says what it tried when nothing is there',
    async () => {
      expect((await resolveInstallTree(`${root}/moved/`, { arch: 'x86_64' })).kernelUrl).toBe(
        `${root}/moved/images/pxeboot/vmlinuz`,
      );
      const err = await failure(resolveInstallTree(`${root}/nothing/`, { arch: 'x86_64' }));
      expect(err.code).toBe('ENOENT');
      expect(err.message).toContain(`No kernel found at ${root}/nothing/ (tried `);
      expect(err.message).toContain(`${root}/nothing/images/pxeboot/vmlinuz (HTTP 404)`);
      expect(err.message).toContain(`${root}/nothing/boot/x86_64/loader/linux (HTTP 404)`);
      const arm = await failure(resolveInstallTree(`${root}/fedora/`, { arch: 's390x' }));
      expect(arm.message).toBe(
        `The tree at ${root}/fedora/ is not for s390x: its .treeinfo has boot images for x86_64, aarch64 only`,
      );
    },
    T,
  );

  it(
    'reports a kernel without an initrd, server errors and refused redirects',
    async () => {
      const half = await failure(resolveInstallTree(`${root}/half/`, { arch: 'x86_64' }));
      expect(half.message).toMatch(
        /Found the kernel .*half\/images\/pxeboot\/vmlinuz but no initrd/,
      );
      const broken = await failure(resolveInstallTree(`${root}/broken/`, { arch: 'x86_64' }));
      expect(broken.code).toBe('HTTP_500');
      expect(broken.message).toBe(`HTTP 500 Internal Server Error for ${root}/broken/.treeinfo`);
      const ftp = await failure(resolveInstallTree(`${root}/redirect-ftp/`, { arch: 'x86_64' }));
      expect(ftp.message).toMatch(/redirects to ftp: .*only http and https/);
    },
    T,
  );

  it(
    'says which host is unreachable and why',
    async () => {
      const err = await failure(
        resolveInstallTree(`http://127.0.0.1:${closedPort}/tree/`, { arch: 'x86_64' }),
      );
      expect(err.code).toBe('ECONNREFUSED');
      expect(err.message).toContain(`Cannot reach 127.0.0.1:${closedPort}`);
      expect(err.message).toContain('ECONNREFUSED');
    },
    T,
  );

  it(
    'refuses other schemes and bad input before any request',
    async () => {
      const ftp = await failure(resolveInstallTree('ftp://127.0.0.1/pub/', { arch: 'x86_64' }));
      expect(ftp.message).toMatch(/ftp:\/\/ URL, which VirtDeck cannot fetch/);
      const file = await failure(resolveInstallTree('file:///etc/', { arch: 'x86_64' }));
      expect(file.message).toMatch(/must be an http or https URL, not file:/);
      const arch = await failure(resolveInstallTree(`${root}/rhel/`, { arch: '../x' }));
      expect(arch.message).toMatch(/not an architecture name/);
    },
    T,
  );

  it(
    'gives up on a server that never answers',
    async () => {
      const err = await failure(
        resolveInstallTree(`${root}/silent/`, { arch: 'x86_64', timeoutMs: 500 }),
      );
      expect(err.message).toBe(`GET ${root}/silent/.treeinfo: no answer within 500 ms`);
      // The caller's own time limit (AbortSignal.timeout) reads as a timeout too.
      const limited = await failure(
        resolveInstallTree(`${root}/silent/`, { arch: 'x86_64', signal: AbortSignal.timeout(300) }),
      );
      expect(limited.code).toBe('ETIMEDOUT');
      expect(limited.message).toBe(`${root}/silent/.treeinfo: no answer within the time allowed`);
      expect(err.code).toBe('ETIMEDOUT');
    },
    T,
  );
});

describe('fetchToBuffer', () => {
  it(
    'downloads the bytes, reporting progress',
    async () => {
      const progress: [number, number | null][] = [];
      const data = await fetchToBuffer(`${root}/rhel/images/pxeboot/initrd.img`, {
        maxBytes: INITRD.length,
        onProgress: (done, total) => progress.push([done, total]),
      });
      expect(data.equals(INITRD)).toBe(true);
      expect(progress[0]).toEqual([0, INITRD.length]);
      expect(progress.at(-1)).toEqual([INITRD.length, INITRD.length]);
      // Redirects are followed (http to http).
      expect(
        (await fetchToBuffer(`${root}/moved/images/pxeboot/vmlinuz`, { maxBytes: 1e6 })).equals(
          KERNEL,
        ),
      ).toBe(true);
    },
    T,
  );

  it(
    'refuses a file larger than allowed, announced or not',
    async () => {
      const announced = await failure(fetchToBuffer(`${root}/huge`, { maxBytes: 1024 ** 2 }));
      expect(announced.code).toBe('EFBIG');
      expect(announced.message).toBe(
        `${root}/huge has ${10 * 1024 ** 3} bytes, more than the ${1024 ** 2} bytes allowed; refusing to download it`,
      );
      const endless = await failure(fetchToBuffer(`${root}/endless`, { maxBytes: 200_000 }));
      expect(endless.message).toContain(`${root}/endless is larger than the 200000 bytes allowed`);
      const tooSmallLimit = await failure(
        fetchToBuffer(`${root}/rhel/images/pxeboot/vmlinuz`, { maxBytes: KERNEL.length - 1 }),
      );
      expect(tooSmallLimit.code).toBe('EFBIG');
    },
    T,
  );

  it(
    'reports HTTP errors, loops and refused schemes',
    async () => {
      const missing = await failure(fetchToBuffer(`${root}/nope`, { maxBytes: 10 }));
      expect(missing.message).toBe(`HTTP 404 Not Found for ${root}/nope`);
      expect(missing.code).toBe('HTTP_404');
      const loop = await failure(fetchToBuffer(`${root}/loop`, { maxBytes: 10 }));
      expect(loop.code).toBe('ELOOP');
      const ftp = await failure(fetchToBuffer('ftp://127.0.0.1/x', { maxBytes: 10 }));
      expect(ftp.message).toMatch(
        /ftp:\/\/ URL, which VirtDeck cannot fetch \(http and https only\)/,
      );
      const refused = await failure(
        fetchToBuffer(`http://127.0.0.1:${closedPort}/k`, { maxBytes: 10 }),
      );
      expect(refused.message).toMatch(/Cannot reach .*ECONNREFUSED/);
    },
    T,
  );

  it(
    "stops when the caller aborts, with the caller's abort error",
    async () => {
      const ctl = new AbortController();
      const pending = fetchToBuffer(`${root}/stall`, {
        maxBytes: 1e6,
        signal: ctl.signal,
        onProgress: (done) => {
          if (done > 0) ctl.abort();
        },
      });
      const err = await pending.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe('AbortError');
      expect(ctl.signal.aborted).toBe(true);
    },
    T,
  );

  it(
    'gives up on a stalled transfer',
    async () => {
      const err = await failure(fetchToBuffer(`${root}/stall`, { maxBytes: 1e6, timeoutMs: 500 }));
      expect(err.code).toBe('ETIMEDOUT');
      expect(err.message).toContain(`Downloading ${root}/stall: no answer within 500 ms`);
    },
    T,
  );
});
