import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RendererAssets,
  contentTypeFor,
  cspOfIndexHtml,
} from '../../../../electron/services/renderer-assets';

const csp = "default-src 'self'; script-src 'self'; object-src 'none'";
const indexHtml = `<!doctype html><html><head>
  <meta charset="UTF-8" />
  <meta
    http-equiv="Content-Security-Policy"
    content="${csp}"
  />
</head><body></body></html>`;

describe('RendererAssets', () => {
  let top: string;
  let root: string;
  let assets: RendererAssets;

  beforeAll(async () => {
    top = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-assets-'));
    root = path.join(top, 'renderer');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), indexHtml);
    await writeFile(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    await writeFile(path.join(root, 'assets', 'font file.woff2'), 'w');
    await writeFile(path.join(root, '.env'), 'SECRET=1');
    await writeFile(path.join(top, 'secret.txt'), 'outside');
    await symlink(path.join(top, 'secret.txt'), path.join(root, 'escape.txt'));
    assets = await RendererAssets.open(root);
  });

  afterAll(async () => {
    await rm(top, { recursive: true, force: true });
  });

  it('serves index.html for / and files by path with their types', async () => {
    expect(await assets.resolve('/')).toMatchObject({
      filePath: path.join(root, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(await assets.resolve('/assets/index-abc.js')).toMatchObject({
      contentType: 'text/javascript; charset=utf-8',
      size: 14,
    });
    expect(await assets.resolve('/assets/font%20file.woff2')).toMatchObject({
      contentType: 'font/woff2',
    });
  });

  it('never leaves the folder, lists a folder or shows a hidden file', async () => {
    for (const attempt of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/escape.txt',
      '/assets',
      '/assets/',
      '/.env',
      '/%00index.html',
      '/%E0%A4%A',
      '/missing.js',
      'index.html',
      '/C:/Windows/win.ini',
    ]) {
      expect(await assets.resolve(attempt), attempt).toBeNull();
    }
  });

  it('adds frame-ancestors, which only works as a header', () => {
    expect(assets.contentSecurityPolicy).toBe(`${csp}; frame-ancestors 'none'`);
  });

  it('refuses to open a folder without a built index.html', async () => {
    await expect(RendererAssets.open(path.join(top, 'nope'))).rejects.toThrow(/npm run build/);
  });

  it('refuses an index.html without a CSP', async () => {
    const bare = path.join(top, 'bare');
    await mkdir(bare);
    await writeFile(path.join(bare, 'index.html'), '<html></html>');
    await expect(RendererAssets.open(bare)).rejects.toThrow(/no Content-Security-Policy/);
  });
});

describe('cspOfIndexHtml', () => {
  it('reads the policy whatever the attribute order, quoting or case', () => {
    expect(cspOfIndexHtml(`<META content='a &amp; b' HTTP-EQUIV="content-security-policy">`)).toBe(
      'a & b',
    );
    expect(cspOfIndexHtml('<meta name="viewport" content="x">')).toBeNull();
  });
});

describe('contentTypeFor', () => {
  it('knows the renderer’s file types and falls back to octet-stream', () => {
    expect(contentTypeFor('a.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('a.unknown')).toBe('application/octet-stream');
  });
});
