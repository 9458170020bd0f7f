import { fetchToBuffer } from './fetch-to-buffer';
import { Deadline, httpRequest, httpStatusError, httpUrl, InstallTreeError } from './http-request';
import { parseTreeinfo, treeinfoArches, treeinfoRelease, type Treeinfo } from './parse-treeinfo';

/** Each probe is a small request: a mirror that cannot answer it quickly is not usable. */
const PROBE_TIMEOUT_MS = 10_000;
const TREEINFO_MAX_BYTES = 1024 * 1024;

/** Which rule found the kernel; tells the caller how the installer takes its kickstart/preseed. */
export type InstallTreeLayout = 'treeinfo' | 'redhat' | 'debian' | 'ubuntu' | 'suse';

export interface ResolvedInstallTree {
  kernelUrl: string;
  initrdUrl: string;
  treeInfo: { family: string | null; version: string | null };
  layout: InstallTreeLayout;
}

export interface ResolveInstallTreeOptions {
  /** libvirt's name: `x86_64`, `aarch64`, … */
  arch: string;
  signal?: AbortSignal;
  /** Per request (tests); default 10 s. */
  timeoutMs?: number;
}

interface Candidate {
  layout: Exclude<InstallTreeLayout, 'treeinfo'>;
  family: string | null;
  kernel: string;
  initrd: string;
}

/**
 * Finds the kernel and initrd of a network install tree, as virt-install does: the tree's
 * `.treeinfo` first, then the layouts of the distributions that publish trees without one.
 * Every candidate is probed (HEAD, or a one-byte GET where HEAD is refused), so a wrong URL
 * fails here with what was tried, before anything is created.
 */
export async function resolveInstallTree(
  url: string,
  opts: ResolveInstallTreeOptions,
): Promise<ResolvedInstallTree> {
  const base = httpUrl(url, 'The install tree URL');
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  if (!/^[a-z0-9_]{1,32}$/.test(opts.arch)) {
    throw new InstallTreeError(`"${opts.arch}" is not an architecture name`, 'EINVAL');
  }
  const probe = new Prober(opts);

  const info = await readTreeinfo(base, probe);
  let note = '';
  if (info) {
    const images = info.get(`images-${opts.arch}`);
    const kernel = images?.get('kernel');
    const initrd = images?.get('initrd');
    if (kernel && initrd) {
      const kernelUrl = inTree(kernel, base, '.treeinfo kernel');
      const initrdUrl = inTree(initrd, base, '.treeinfo initrd');
      for (const u of [kernelUrl, initrdUrl]) {
        const status = await probe.exists(u);
        if (status !== true) {
          throw new InstallTreeError(
            `The tree's .treeinfo names ${u.href}, but the server answers HTTP ${status}`,
            `HTTP_${status}`,
          );
        }
      }
      return {
        kernelUrl: kernelUrl.href,
        initrdUrl: initrdUrl.href,
        treeInfo: treeinfoRelease(info),
        layout: 'treeinfo',
      };
    }
    // A tree built for other architectures: its pxeboot kernel would be the wrong one too.
    const arches = treeinfoArches(info);
    if (arches.length > 0) {
      throw new InstallTreeError(
        `The tree at ${base.href} is not for ${opts.arch}: its .treeinfo has boot images ` +
          `for ${arches.join(', ')} only`,
        'ENOENT',
      );
    }
    note = '; its .treeinfo names no boot images';
  }

  const tried: string[] = [];
  for (const c of candidates(base, opts.arch)) {
    const kernelUrl = new URL(c.kernel, base);
    const status = await probe.exists(kernelUrl);
    if (status !== true) {
      tried.push(`${kernelUrl.href} (HTTP ${status})`);
      continue;
    }
    const initrdUrl = new URL(c.initrd, base);
    const initrdStatus = await probe.exists(initrdUrl);
    if (initrdStatus !== true) {
      throw new InstallTreeError(
        `Found the kernel ${kernelUrl.href} but no initrd beside it: ${initrdUrl.href} ` +
          `answers HTTP ${initrdStatus}`,
        `HTTP_${initrdStatus}`,
      );
    }
    return {
      kernelUrl: kernelUrl.href,
      initrdUrl: initrdUrl.href,
      treeInfo: info ? treeinfoRelease(info) : { family: c.family, version: null },
      layout: c.layout,
    };
  }
  throw new InstallTreeError(
    `No kernel found at ${base.href}${note} (tried ${tried.join(', ')})`,
    'ENOENT',
  );
}

/** Debian's architecture names for libvirt's. */
const DEBIAN_ARCH: Record<string, string> = {
  x86_64: 'amd64',
  i686: 'i386',
  i386: 'i386',
  aarch64: 'arm64',
  armv7l: 'armhf',
  ppc64le: 'ppc64el',
  s390x: 's390x',
  mips64el: 'mips64el',
  riscv64: 'riscv64',
};

function candidates(base: URL, arch: string): Candidate[] {
  const list: Candidate[] = [
    // Fedora, RHEL, CentOS, Alma, Rocky (trees without .treeinfo: old or hand-made mirrors).
    {
      layout: 'redhat',
      family: null,
      kernel: 'images/pxeboot/vmlinuz',
      initrd: 'images/pxeboot/initrd.img',
    },
  ];
  const deb = DEBIAN_ARCH[arch];
  if (deb) {
    const di = (distro: 'debian' | 'ubuntu', images: string, prefix: string): Candidate => {
      const dir = `${prefix}${images}/netboot/${distro}-installer/${deb}/`;
      return {
        layout: distro,
        family: distro === 'debian' ? 'Debian' : 'Ubuntu',
        kernel: `${dir}linux`,
        initrd: `${dir}initrd.gz`,
      };
    };
    // The URL may name a suite (…/dists/bookworm/), the installer folder of one
    // (…/main/installer-amd64/), or — for Debian — the mirror's root (stable then).
    const inSuite = `main/installer-${deb}/current/`;
    const atInstaller = base.pathname.endsWith(`/installer-${deb}/`);
    const isSuite = /\/dists\/[^/]+\/$/.test(base.pathname);
    if (atInstaller) list.push(di('debian', 'images', 'current/'));
    list.push(di('debian', 'images', inSuite));
    if (atInstaller) {
      list.push(di('ubuntu', 'legacy-images', 'current/'), di('ubuntu', 'images', 'current/'));
    }
    list.push(di('ubuntu', 'legacy-images', inSuite), di('ubuntu', 'images', inSuite));
    if (!atInstaller && !isSuite) list.push(di('debian', 'images', `dists/stable/${inSuite}`));
  }
  // openSUSE and SLES: x86_64 keeps the loader folder, other architectures do not.
  list.push(
    {
      layout: 'suse',
      family: 'SUSE',
      kernel: `boot/${arch}/loader/linux`,
      initrd: `boot/${arch}/loader/initrd`,
    },
    { layout: 'suse', family: 'SUSE', kernel: `boot/${arch}/linux`, initrd: `boot/${arch}/initrd` },
  );
  return list;
}

/** A path from .treeinfo, resolved inside the tree; it may not lead to another scheme. */
function inTree(path: string, base: URL, what: string): URL {
  let u: URL;
  try {
    u = new URL(path, base);
  } catch {
    throw new InstallTreeError(`The tree's ${what} "${path}" is not a valid path`, 'EINVAL');
  }
  return httpUrl(u.href, `The tree's ${what}`);
}

/** `.treeinfo`, else `treeinfo` (older trees); null when the tree has neither. */
async function readTreeinfo(base: URL, probe: Prober): Promise<Treeinfo | null> {
  for (const name of ['.treeinfo', 'treeinfo']) {
    const text = await probe.text(new URL(name, base));
    if (text !== null) return parseTreeinfo(text);
  }
  return null;
}

/** Statuses meaning "not here" rather than "something is wrong". */
const ABSENT = new Set([403, 404, 410]);

class Prober {
  private readonly timeoutMs: number;
  constructor(private readonly opts: ResolveInstallTreeOptions) {
    this.timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  }

  /** true, or the "absent" status; throws on anything else (unreachable, 5xx, 401). */
  async exists(url: URL): Promise<true | number> {
    let res = await this.request(url, 'HEAD');
    // Some servers and CDNs refuse HEAD; one byte of a GET tells the same.
    if (res.response.status === 405 || res.response.status === 501) {
      await res.response.body?.cancel().catch(() => undefined);
      res = await this.request(url, 'GET', { range: 'bytes=0-0' });
    }
    await res.response.body?.cancel().catch(() => undefined);
    const status = res.response.status;
    if (status === 200 || status === 206) return true;
    if (ABSENT.has(status)) return status;
    throw httpStatusError(res.response, res.url);
  }

  /** A small text file, or null when absent. */
  async text(url: URL): Promise<string | null> {
    try {
      const body = await fetchToBuffer(url.href, {
        maxBytes: TREEINFO_MAX_BYTES,
        signal: this.opts.signal,
        timeoutMs: this.timeoutMs,
      });
      return body.toString('utf8');
    } catch (err) {
      if (err instanceof InstallTreeError && /^HTTP_(403|404|410)$/.test(err.code)) return null;
      throw err;
    }
  }

  private async request(url: URL, method: 'GET' | 'HEAD', headers?: Record<string, string>) {
    const deadline = new Deadline(this.opts.signal);
    try {
      return await httpRequest(url, { method, deadline, timeoutMs: this.timeoutMs, headers });
    } finally {
      deadline.clear();
    }
  }
}
