// Serves the locally bundled GraphiQL: an HTML page and the files in ./dist/ (built by
// ./build.ts). Pure: no HTTP server here. The gateway's node:http router calls
//   html()              for GET /graphql with Accept: text/html
//   serveAsset(path)    for GET /graphiql/<file>
// and should send GRAPHIQL_CSP as the Content-Security-Policy header of the HTML page.
// Call `await buildGraphiQL()` (./build.ts) at start-up so the assets exist.

import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { GRAPHIQL_DIST_DIR, GRAPHIQL_ASSETS } from './build.ts';

/**
 * Content-Security-Policy for the GraphiQL page (and harmless on its assets). The page needs no
 * inline script: its config is a non-executed `application/json` block. 'unsafe-inline' styles
 * are needed by CodeMirror/GraphiQL (style attributes); fonts and icons are data: URIs.
 */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

export interface GraphiQLHandlerOptions {
  /** GraphQL endpoint the page posts to, same origin (e.g. "/graphql"). */
  endpoint: string;
  /** Pre-filled headers editor, e.g. { Authorization: 'Bearer <app token>', 'X-Purpose': 'WORK_REFERENCE' }. */
  defaultHeaders?: Record<string, string>;
  /** Query of a fresh tab. */
  defaultQuery?: string;
  /** URL prefix the assets are served under; default '/graphiql/'. */
  assetsPath?: string;
  /** Folder holding graphiql.js / graphiql.css; default gateway/graphiql/dist. */
  distDir?: string;
}

export interface GraphiQLAsset {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface GraphiQLHandler {
  html(): string;
  serveAsset(path: string): GraphiQLAsset | null;
}

export const DEFAULT_GRAPHIQL_HEADERS: Record<string, string> = {
  Authorization: 'Bearer <app token>',
  'X-Purpose': '<purpose code, e.g. WORK_REFERENCE>',
};

export const DEFAULT_GRAPHIQL_QUERY = `# govgraph: GraphQL federation gateway over government departments' data.
#
# Every request needs these headers (edit them in the "Headers" tab below):
#   Authorization: Bearer <app token>
#   X-Purpose: <purpose code>   ADMINISTRATIVE_BASIS | WORK_REFERENCE |
#                               DATA_VERIFICATION | BUSINESS_COLLABORATION
#   X-Case-Id: <matter number>  optional unless a policy asks for it
#
# Fields your app may not see come back as null with a FORBIDDEN error each.

query {
  __typename
}
`;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** JSON safe inside a <script> element: no `<`, `>`, `&`, U+2028/2029 characters appear literally. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function normalizeAssetsPath(p: string | undefined): string {
  let s = p ?? '/graphiql/';
  if (!s.startsWith('/')) s = `/${s}`;
  if (!s.endsWith('/')) s = `${s}/`;
  return s;
}

export function createGraphiQLHandler(options: GraphiQLHandlerOptions): GraphiQLHandler {
  const assetsPath = normalizeAssetsPath(options.assetsPath);
  const distDir = options.distDir ?? GRAPHIQL_DIST_DIR;
  const config = {
    endpoint: options.endpoint,
    defaultHeaders: JSON.stringify(options.defaultHeaders ?? DEFAULT_GRAPHIQL_HEADERS, null, 2),
    defaultQuery: options.defaultQuery ?? DEFAULT_GRAPHIQL_QUERY,
  };
  const configJson = jsonForScript(config);

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
<title>govgraph</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeAttr(assetUrl('graphiql.css'))}">
<script src="${escapeAttr(assetUrl('graphiql.js'))}" defer></script>
</head>
<body>
<div id="graphiql">Loading GraphiQL&hellip;</div>
<script type="application/json" id="govgraph-config">${configJson}</script>
<noscript>GraphiQL needs JavaScript. You can also POST GraphQL over HTTP to ${escapeAttr(options.endpoint)}.</noscript>
</body>
</html>
`;
    },

    serveAsset(path: string): GraphiQLAsset | null {
      let p = path.split(/[?#]/, 1)[0] ?? '';
      if (p.startsWith(assetsPath)) p = p.slice(assetsPath.length);
      else if (p.startsWith('/')) p = p.slice(1);
      try {
        p = decodeURIComponent(p);
      } catch {
        return null;
      }
      // A bare file name out of the build's own outputs: no folders, no traversal, no dotfiles.
      if (!p || p.includes('/') || p.includes('\\') || p.includes('\0') || p.includes('..') || p.startsWith('.')) {
        return null;
      }
      if (!(GRAPHIQL_ASSETS as readonly string[]).includes(p)) return null;
      const ext = p.slice(p.lastIndexOf('.'));
      const contentType = CONTENT_TYPES[ext];
      if (!contentType) return null;
      const hit = load(p);
      if (!hit) return null;
      return { status: 200, contentType, body: hit.body };
    },
  };
}
