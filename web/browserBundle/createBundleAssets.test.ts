import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBundleAssets } from './createBundleAssets.ts';

// A dist folder holding the two assets, beside files that must never be served: one next to the
// folder (where `..` would lead), a dotfile and a build's temporary folder inside it, a file it
// holds but does not list, and a listed name that is a folder.
describe('createBundleAssets', () => {
  let root: string;
  let dist: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bundle-assets-'));
    dist = join(root, 'dist');
    await mkdir(join(dist, '.build-x'), { recursive: true });
    await mkdir(join(dist, 'sub'), { recursive: true });
    await mkdir(join(dist, 'folder.js'), { recursive: true });
    await writeFile(join(dist, 'app.js'), 'console.log(1)');
    await writeFile(join(dist, 'app.css'), 'body{}');
    await writeFile(join(dist, 'extra.js'), 'not listed');
    await writeFile(join(dist, 'sub', 'app.js'), 'nested');
    await writeFile(join(dist, '.build-x', 'app.js'), 'half written');
    await writeFile(join(root, 'serve.ts'), 'source code');
    await writeFile(join(root, 'package.json'), '{}');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const assetsIn = (options: { assetsPath?: string; acceptRootPaths?: boolean; assets?: string[] } = {}) =>
    createBundleAssets({ distDir: dist, assets: ['app.js', 'app.css', 'folder.js'], assetsPath: '/static/', ...options });

  it('serves each listed asset with its content type, by prefixed path or bare name', () => {
    const a = assetsIn();
    const js = a.serveAsset('/static/app.js');
    expect(js).toEqual({ status: 200, contentType: 'text/javascript; charset=utf-8', body: Buffer.from('console.log(1)') });
    expect(a.serveAsset('/static/app.css?v=abc')?.contentType).toBe('text/css; charset=utf-8');
    expect(a.serveAsset('/static/app.css#top')?.body.toString()).toBe('body{}');
    expect(a.serveAsset('app.js')?.status).toBe(200);
  });

  it('normalises the prefix to start and end with /', () => {
    for (const prefix of ['static', '/static', 'static/']) {
      const a = assetsIn({ assetsPath: prefix });
      expect(a.assetsPath).toBe('/static/');
      expect(a.serveAsset('/static/app.js')?.status).toBe(200);
    }
    expect(assetsIn({ assetsPath: 'ui/static' }).assetUrl('app.js')).toMatch(/^\/ui\/static\/app\.js\?v=/);
  });

  it('refuses unknown files and path traversal', () => {
    const a = assetsIn();
    for (const p of [
      '/static/',
      '',
      '/static/nope.js',
      '/static/extra.js',
      '/static/folder.js', // listed, but a folder
      '/static/../serve.ts',
      '/static/..%2Fserve.ts',
      '/static/%2e%2e/serve.ts',
      '/static/%2E%2E%2F%2E%2E%2Fpackage.json',
      '/static/../../package.json',
      '/static/../../../package.json',
      '/static/..\\serve.ts',
      '/static/%5c..%5cserve.ts',
      '/static/%00app.js',
      '/static/app.js%00.png',
      '/static/sub/app.js',
      '/static/sub%2Fapp.js',
      '/static/.build-x',
      '/static/.build-x%2Fapp.js',
      '/static/%E0%A4%A', // malformed percent-encoding
      '/serve.ts',
      '/etc/passwd',
      '../serve.ts',
      '..',
    ]) {
      expect(a.serveAsset(p), p).toBeNull();
      expect(assetsIn({ acceptRootPaths: true }).serveAsset(p), `${p} (root paths accepted)`).toBeNull();
    }
  });

  it('serves /<file> outside the prefix only when root paths are accepted', () => {
    expect(assetsIn().serveAsset('/app.js')).toBeNull();
    expect(assetsIn({ acceptRootPaths: true }).serveAsset('/app.js')?.body.toString()).toBe('console.log(1)');
    expect(assetsIn({ acceptRootPaths: true }).serveAsset('/other/app.js')).toBeNull();
  });

  it('does not serve a listed asset of a kind it has no content type for', async () => {
    await writeFile(join(dist, 'data.bin'), 'x');
    expect(assetsIn({ assets: ['data.bin'] }).serveAsset('/static/data.bin')).toBeNull();
  });

  it('versions asset URLs by content hash and serves a rebuilt file at once', async () => {
    const a = assetsIn({ assetsPath: 'ui/static' });
    const before = a.assetUrl('app.js');
    expect(before).toMatch(/^\/ui\/static\/app\.js\?v=[0-9a-f]{12}$/);
    expect(a.assetUrl('app.js')).toBe(before); // unchanged file, same version
    expect(a.serveAsset('/ui/static/app.js')?.body.toString()).toBe('console.log(1)');
    await writeFile(join(dist, 'app.js'), 'console.log(22)');
    expect(a.serveAsset('/ui/static/app.js')?.body.toString()).toBe('console.log(22)');
    expect(a.assetUrl('app.js')).not.toBe(before);
  });

  it('treats a missing build as a 404 and an unversioned URL, not a crash', async () => {
    await rm(join(dist, 'app.css'));
    const a = assetsIn();
    expect(a.serveAsset('/static/app.css')).toBeNull();
    expect(a.assetUrl('app.css')).toBe('/static/app.css');
  });
});
