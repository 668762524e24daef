// Serves the files of a locally bundled browser app (./defineBrowserBundle.ts) by URL path. Pure:
// no HTTP server here; the gateway's router sends what serveAsset returns, or a 404 for null.
//
// Only the bundle's own assets are served, by bare file name: the path is never joined onto
// distDir before it has been reduced to one of those names, so no encoding of `..`, `/`, `\` or
// NUL can reach another file. Contents are cached until the file changes on disk (a rebuild while
// the gateway runs), and assetUrl() puts a hash of the content in the query, so a page can let
// browsers cache its assets and still load a rebuild at once.

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface BundleAsset {
  status: number;
  contentType: string;
  body: Buffer;
}

/** What the gateway's router asks of a bundled app: its page, and the assets the page loads. */
export interface BundlePageHandler {
  /** The page, in the language `Accept-Language` asks for where the app speaks more than one. */
  html(acceptLanguage?: string | null): string;
  serveAsset(path: string): BundleAsset | null;
}

export interface BundleAssetsOptions {
  /** Folder the build writes to. */
  distDir: string;
  /** The only file names served (a build's outputs). */
  assets: readonly string[];
  /** URL prefix the assets are served under; a missing leading or trailing '/' is added. */
  assetsPath: string;
  /**
   * Also serve '/<file>' outside assetsPath. GraphiQL always has; the console refuses any
   * absolute path not under its prefix.
   * @default false
   */
  acceptRootPaths?: boolean;
}

export interface BundleAssets {
  /** The normalised prefix, starting and ending with '/'. */
  readonly assetsPath: string;
  /** The URL a page references `file` by: assetsPath + file + `?v=<content hash>` once it is built. */
  assetUrl(file: string): string;
  /** The asset a request path names, or null when it names nothing servable (a 404). */
  serveAsset(path: string): BundleAsset | null;
}

/** Content types of the file kinds a bundle may produce; any other extension is not served. */
export const BUNDLE_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

function normalizeAssetsPath(p: string): string {
  let s = p;
  if (!s.startsWith('/')) s = `/${s}`;
  if (!s.endsWith('/')) s = `${s}/`;
  return s;
}

export function createBundleAssets(options: BundleAssetsOptions): BundleAssets {
  const { distDir, assets } = options;
  const assetsPath = normalizeAssetsPath(options.assetsPath);

  const cache = new Map<string, { mtimeMs: number; size: number; body: Buffer; version: string }>();
  function load(file: string): { body: Buffer; version: string } | null {
    const full = join(distDir, file);
    let st;
    try {
      st = statSync(full);
    } catch {
      return null;
    }
    if (!st.isFile()) return null;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const body = readFileSync(full);
    const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const entry = { mtimeMs: st.mtimeMs, size: st.size, body, version };
    cache.set(file, entry);
    return entry;
  }

  return {
    assetsPath,

    assetUrl(file: string): string {
      const v = load(file)?.version;
      return `${assetsPath}${file}${v ? `?v=${v}` : ''}`;
    },

    serveAsset(path: string): BundleAsset | null {
      let p = path.split(/[?#]/, 1)[0] ?? '';
      if (p.startsWith(assetsPath)) p = p.slice(assetsPath.length);
      else if (p.startsWith('/')) {
        if (!options.acceptRootPaths) return null;
        p = p.slice(1);
      }
      try {
        p = decodeURIComponent(p);
      } catch {
        return null;
      }
      // A bare file name out of the build's own outputs: no folders, no traversal, no dotfiles.
      if (!p || p.includes('/') || p.includes('\\') || p.includes('\0') || p.includes('..') || p.startsWith('.')) {
        return null;
      }
      if (!assets.includes(p)) return null;
      const contentType = BUNDLE_CONTENT_TYPES[p.slice(p.lastIndexOf('.'))];
      if (!contentType) return null;
      const hit = load(p);
      if (!hit) return null;
      return { status: 200, contentType, body: hit.body };
    },
  };
}
