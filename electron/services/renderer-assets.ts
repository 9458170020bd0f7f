import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export interface RendererAsset {
  /** Real path, inside the renderer folder. */
  filePath: string;
  contentType: string;
  size: number;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The built renderer (`dist/renderer`) as both hosts serve it: Electron through its app://
 * protocol, the web host over HTTP. Maps a URL path to a file and refuses anything that
 * would leave the folder, name a hidden file or a folder (no listings).
 */
export class RendererAssets {
  private constructor(
    private readonly root: string,
    /** The index.html's own policy plus what only a header can carry. */
    readonly contentSecurityPolicy: string,
  ) {}

  /** Fails with a clear message when the renderer was not built or sets no CSP. */
  static async open(dir: string): Promise<RendererAssets> {
    let root: string;
    let html: string;
    try {
      root = await realpath(dir);
      html = await readFile(path.join(root, 'index.html'), 'utf8');
    } catch (err) {
      throw new Error(
        `The renderer is not built (${dir}/index.html is missing): run npm run build`,
        {
          cause: err,
        },
      );
    }
    const csp = cspOfIndexHtml(html);
    if (!csp) {
      throw new Error(`${dir}/index.html sets no Content-Security-Policy; refusing to serve it`);
    }
    const assets = new RendererAssets(root, withHeaderOnlyDirectives(csp));
    if (!(await assets.resolve('/'))) throw new Error(`${dir}/index.html is not a readable file`);
    return assets;
  }

  /** `pathname` is the URL's path as sent (percent-encoded, no query). '/' is index.html. */
  async resolve(pathname: string): Promise<RendererAsset | null> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    if (!decoded.startsWith('/') || /[\0\\:]/.test(decoded)) return null;
    if (decoded === '/') decoded = '/index.html';
    const segments = decoded.split('/').filter((s) => s !== '');
    // '..' can never climb out, and hidden files (.env, .git) are never served.
    if (segments.some((s) => s.startsWith('.'))) return null;
    let real: string;
    try {
      real = await realpath(path.join(this.root, ...segments));
    } catch {
      return null;
    }
    // A symlink inside the folder must not lead outside it either.
    const relative = path.relative(this.root, real);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
    const info = await stat(real).catch(() => null);
    if (!info?.isFile()) return null;
    return { filePath: real, contentType: contentTypeFor(real), size: info.size };
  }
}

/** The `content` of the page's `<meta http-equiv="Content-Security-Policy">`, if any. */
export function cspOfIndexHtml(html: string): string | null {
  for (const [tag] of html.matchAll(/<meta\b[^>]*>/gi)) {
    const attributes = new Map<string, string>();
    for (const match of tag.matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attributes.set(match[1]!.toLowerCase(), decodeEntities(match[2] ?? match[3] ?? ''));
    }
    if (attributes.get('http-equiv')?.toLowerCase() === 'content-security-policy') {
      return attributes.get('content')?.trim() || null;
    }
  }
  return null;
}

/** Browsers ignore frame-ancestors in a meta policy; as a header it stops framing. */
function withHeaderOnlyDirectives(csp: string): string {
  const directives = csp.split(';').map((d) => d.trim());
  if (directives.some((d) => d.toLowerCase().startsWith('frame-ancestors'))) return csp;
  return `${directives.filter((d) => d !== '').join('; ')}; frame-ancestors 'none'`;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
