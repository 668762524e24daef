import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkNoRemoteResources } from './checkNoRemoteResources.ts';

describe('checkNoRemoteResources', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bundle-remote-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const check = (extraPatterns?: RegExp[]): Promise<void> => checkNoRemoteResources(dir, { name: 'test', extraPatterns });

  it('passes a bundle that references only local files and data: URIs', async () => {
    await writeFile(join(dir, 'app.js'), 'fetch("/graphql");document.title="x";// see http://example.org/licence');
    await writeFile(join(dir, 'app.css'), '.a{background:url(data:image/png;base64,AAAA)}.b{background:url(./x.png)}');
    await expect(check()).resolves.toBeUndefined();
  });

  it('fails a bundle that references https://unpkg.com, naming the bundle, the file and the match', async () => {
    await writeFile(join(dir, 'app.js'), 'const s=document.createElement("script");s.src="https://unpkg.com/react@18";');
    await expect(check()).rejects.toThrow(/^test bundle references remote resources:\n {2}app\.js: unpkg\.com/);
  });

  it.each([
    ['a remote @import', '@import url("https://fonts.googleapis.com/css?family=Roboto");'],
    ['a remote url()', '.a{background:url(https://example.org/a.png)}'],
    ['a protocol-relative url()', ".a{background:url('//example.org/a.png')}"],
    ['a web font host', '.a{src:local("x"),u("fonts.gstatic.com/s/x.woff2")}'],
    ['a CDN host', 'https://cdn.jsdelivr.net/npm/graphiql'],
  ])('fails a stylesheet with %s', async (_what, css) => {
    await writeFile(join(dir, 'page.css'), css);
    await expect(check()).rejects.toThrow(/remote resources:\n {2}page\.css: /);
  });

  it('lists every match, not only the first', async () => {
    await writeFile(join(dir, 'a.css'), '@import "https://esm.sh/x.css";');
    await writeFile(join(dir, 'b.js'), '"https://cdnjs.cloudflare.com/a";"https://cdn.skypack.dev/b"');
    const error = await check().then(() => null, (e: unknown) => e as Error);
    expect(error?.message.split('\n').slice(1)).toHaveLength(4); // @import and esm.sh in a.css, two hosts in b.js
  });

  it('reads only the .js and .css files a page loads', async () => {
    await writeFile(join(dir, 'LICENSE.txt'), 'Copied from https://unpkg.com/graphiql');
    await writeFile(join(dir, 'app.js.map'), '{"sources":["https://unpkg.com/x"]}');
    await expect(check()).resolves.toBeUndefined();
  });

  it('applies a bundle\'s extra patterns on top of the shared ones', async () => {
    await writeFile(join(dir, 'app.js'), 'fetch("https://example.org/track")');
    await expect(check()).resolves.toBeUndefined();
    await expect(check([/\bfetch\(\s*['"`]https?:\/\//gi])).rejects.toThrow(/app\.js: fetch\("https:\/\//);
  });

  it('refuses an extra pattern without the g flag before reading anything', async () => {
    await expect(check([/fetch/i])).rejects.toThrow(/test bundle: remote-resource pattern \/fetch\/i needs the g flag/);
  });
});
