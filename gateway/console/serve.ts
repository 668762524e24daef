// Serves the web console: its HTML page and the files in ./dist/ (built by ./build.ts). Pure:
// no HTTP server here. The gateway's node:http router calls
//   html()              for GET /console (and /console/)
//   serveAsset(path)    for GET /console/assets/<file>
// and sends CONSOLE_CSP as the Content-Security-Policy header of the page.
// Call `await buildConsole()` (./build.ts) at start-up so the assets exist.

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_ASSETS, CONSOLE_DIST_DIR } from './build.ts';

/**
 * Content-Security-Policy of the console. No inline script or style at all; the API is on the
 * same origin; images are the page's own or data: URLs (the evaluation report's SVG chart).
 * It may not be framed: a framed admin console invites clickjacking of approvals and revocations.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ConsoleHandlerOptions {
  /** URL prefix the assets are served under; default '/console/assets/'. */
  assetsPath?: string;
  /** Folder holding console.js / console.css; default gateway/console/dist. */
  distDir?: string;
}

export interface ConsoleAsset {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface ConsoleHandler {
  html(): string;
  serveAsset(path: string): ConsoleAsset | null;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function normalizeAssetsPath(p: string | undefined): string {
  let s = p ?? '/console/assets/';
  if (!s.startsWith('/')) s = `/${s}`;
  if (!s.endsWith('/')) s = `${s}/`;
  return s;
}

export function createConsoleHandler(options: ConsoleHandlerOptions = {}): ConsoleHandler {
  const assetsPath = normalizeAssetsPath(options.assetsPath);
  const distDir = options.distDir ?? CONSOLE_DIST_DIR;

  // Cache of file contents, invalidated when the file changes (a rebuild while running).
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

  // The content hash in the query lets browsers cache assets and still see a rebuild at once.
  function assetUrl(file: string): string {
    const v = load(file)?.version;
    return `${assetsPath}${file}${v ? `?v=${v}` : ''}`;
  }

  return {
    html(): string {
      return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>govgraph console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeAttr(assetUrl('console.css'))}">
<script src="${escapeAttr(assetUrl('console.js'))}" defer></script>
</head>
<body>
<div id="root"><p class="boot">Loading the govgraph console&hellip;</p></div>
<noscript>The govgraph console needs JavaScript. The management API is POST /admin/graphql.</noscript>
</body>
</html>
`;
    },

    serveAsset(path: string): ConsoleAsset | null {
      let p = path.split(/[?#]/, 1)[0] ?? '';
      if (p.startsWith(assetsPath)) p = p.slice(assetsPath.length);
      else if (p.startsWith('/')) return null;
      try {
        p = decodeURIComponent(p);
      } catch {
        return null;
      }
      // A bare file name out of the build's own outputs: no folders, no traversal, no dotfiles.
      if (!p || p.includes('/') || p.includes('\\') || p.includes('\0') || p.includes('..') || p.startsWith('.')) {
        return null;
      }
      if (!(CONSOLE_ASSETS as readonly string[]).includes(p)) return null;
      const contentType = CONTENT_TYPES[p.slice(p.lastIndexOf('.'))];
      if (!contentType) return null;
      const hit = load(p);
      if (!hit) return null;
      return { status: 200, contentType, body: hit.body };
    },
  };
}
