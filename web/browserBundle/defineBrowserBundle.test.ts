import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineBrowserBundle, type BrowserBundle, type BrowserBundleSpec } from './defineBrowserBundle.ts';

// A tiny app in a temporary folder: app.js and app.css built to dist/app.js and dist/app.css.
describe('defineBrowserBundle', () => {
  let root: string;
  let dist: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'browser-bundle-'));
    dist = join(root, 'dist');
    await writeFile(join(root, 'app.js'), 'document.title = String(1 + 1);\n');
    await writeFile(join(root, 'app.css'), 'body { color: #123456; }\n');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  function tinyBundle(overrides: Partial<BrowserBundleSpec> = {}): BrowserBundle {
    return defineBrowserBundle({
      name: 'tiny',
      distDir: dist,
      assets: ['app.js', 'app.css'],
      inputs: () => [join(root, 'app.js'), join(root, 'app.css')],
      esbuild: {
        entryPoints: [
          { in: join(root, 'app.js'), out: 'app' },
          { in: join(root, 'app.css'), out: 'app' },
        ],
        absWorkingDir: root,
      },
      ...overrides,
    });
  }

  const mtime = async (file: string): Promise<number> => (await stat(file)).mtimeMs;
  const LONG_AGO = new Date('2020-01-01T00:00:00Z');
  const LATER = new Date('2021-01-01T00:00:00Z');
  /** Inputs dated long ago and the built assets later, so "newer" does not hang on clock resolution. */
  async function dateBuild(): Promise<void> {
    for (const f of ['app.js', 'app.css']) {
      await utimes(join(root, f), LONG_AGO, LONG_AGO);
      await utimes(join(dist, f), LATER, LATER);
    }
  }

  it('builds minified browser assets into distDir and leaves no temporary folder', async () => {
    const bundle = tinyBundle();
    expect(await bundle.isUpToDate()).toBe(false);
    await expect(bundle.build()).resolves.toBe(dist);
    expect((await readdir(dist)).sort()).toEqual(['app.css', 'app.js']);
    const js = await readFile(join(dist, 'app.js'), 'utf8');
    expect(js).toMatch(/^\(\(\)=>\{/); // an iife, minified
    expect(js).toContain('document.title=String(2)');
    expect(await readFile(join(dist, 'app.css'), 'utf8')).toContain('color:#123456');
    expect(await bundle.isUpToDate()).toBe(true);
  });

  it('skips the build when every asset is newer than every input, unless forced', async () => {
    const bundle = tinyBundle();
    await bundle.build();
    await dateBuild();
    await bundle.build();
    expect(await mtime(join(dist, 'app.js'))).toBe(LATER.getTime());
    await bundle.build({ force: true });
    expect(await mtime(join(dist, 'app.js'))).toBeGreaterThan(LATER.getTime());
  });

  it('rebuilds when an input changed after the build', async () => {
    const bundle = tinyBundle();
    await bundle.build();
    await dateBuild();
    await writeFile(join(root, 'app.js'), 'document.title = "changed";\n');
    expect(await bundle.isUpToDate()).toBe(false);
    await bundle.build();
    expect(await readFile(join(dist, 'app.js'), 'utf8')).toContain('changed');
  });

  it('rebuilds when an asset is missing', async () => {
    const bundle = tinyBundle();
    await bundle.build();
    await dateBuild();
    await rm(join(dist, 'app.css'));
    expect(await bundle.isUpToDate()).toBe(false);
    await bundle.build();
    expect(await readdir(dist)).toContain('app.css');
  });

  it('counts a newer installed version of a bundled package as a change', async () => {
    const pkg = join(root, 'node_modules', 'tiny-dep');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, 'package.json'), '{"name":"tiny-dep","version":"1.0.0"}');
    await utimes(join(pkg, 'package.json'), LONG_AGO, LONG_AGO);
    const bundle = tinyBundle({ packages: ['tiny-dep', 'not-installed-anywhere'] });
    await bundle.build();
    await dateBuild();
    expect(await bundle.isUpToDate()).toBe(true); // an unresolvable package is left to the build to report
    await writeFile(join(pkg, 'package.json'), '{"name":"tiny-dep","version":"1.0.1"}');
    expect(await bundle.isUpToDate()).toBe(false);
  });

  it('gives concurrent callers the one finished build', async () => {
    const bundle = tinyBundle();
    const [a, b] = await Promise.all([bundle.build({ force: true }), bundle.build({ force: true })]);
    expect([a, b]).toEqual([dist, dist]);
    expect((await readdir(dist)).sort()).toEqual(['app.css', 'app.js']);
  });

  it('fails a bundle that references https://unpkg.com and keeps the previous build in place', async () => {
    const bundle = tinyBundle();
    await bundle.build();
    const before = await readFile(join(dist, 'app.js'), 'utf8');
    await writeFile(join(root, 'app.js'), 'import("https://unpkg.com/react@18/umd/react.production.min.js");\n');
    await expect(bundle.build()).rejects.toThrow(/^tiny bundle references remote resources:\n {2}app\.js: unpkg\.com/);
    expect(await readFile(join(dist, 'app.js'), 'utf8')).toBe(before);
    expect((await readdir(dist)).sort()).toEqual(['app.css', 'app.js']); // the .build-* folder is gone
  });

  it('applies its extra remote patterns to the build and to checkNoRemoteResources()', async () => {
    await writeFile(join(root, 'app.js'), 'fetch("https://example.org/x");\n');
    await expect(tinyBundle().build()).resolves.toBe(dist);
    await expect(tinyBundle().checkNoRemoteResources()).resolves.toBeUndefined();
    const strict = tinyBundle({ extraRemotePatterns: [/\bfetch\(\s*['"`]https?:\/\//gi] });
    await expect(strict.checkNoRemoteResources()).rejects.toThrow(/tiny bundle references remote resources/);
    await expect(strict.build({ force: true })).rejects.toThrow(/app\.js: fetch\("https:/);
  });

  it('refuses a bundle with no assets, which would never count as stale', () => {
    expect(() => tinyBundle({ assets: [] })).toThrow(/tiny bundle: assets must name at least one file/);
  });
});
