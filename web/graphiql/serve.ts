// Serves the locally bundled GraphiQL: an HTML page and the files in ./dist/ (built by
// ./build.ts). Pure: no HTTP server here. The gateway's node:http router calls
//   html()              for GET /graphql with Accept: text/html
//   serveAsset(path)    for GET /graphiql/<file>
// and should send GRAPHIQL_CSP as the Content-Security-Policy header of the HTML page.
// Call `await buildGraphiQL()` (./build.ts) at start-up so the assets exist.

import { bundlePage } from '../browserBundle/bundlePage.ts';
import { createBundleAssets, type BundleAsset, type BundlePageHandler } from '../browserBundle/createBundleAssets.ts';
import { escapeAttr } from '../browserBundle/escapeAttr.ts';
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
  /** Variables of the default query, so it runs as shown (e.g. a sample credit code). */
  defaultVariables?: Record<string, unknown>;
  /** URL prefix the assets are served under; default '/graphiql/'. */
  assetsPath?: string;
  /** Folder holding graphiql.js / graphiql.css; default web/graphiql/dist. */
  distDir?: string;
}

export type GraphiQLAsset = BundleAsset;

export type GraphiQLHandler = BundlePageHandler;

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

/** JSON safe inside a <script> element: no `<`, `>`, `&`, U+2028/2029 characters appear literally. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function createGraphiQLHandler(options: GraphiQLHandlerOptions): GraphiQLHandler {
  const assets = createBundleAssets({
    distDir: options.distDir ?? GRAPHIQL_DIST_DIR,
    assets: GRAPHIQL_ASSETS,
    assetsPath: options.assetsPath ?? '/graphiql/',
    // Kept as it always was: '/graphiql.js' is served too (the gateway routes only /graphiql/… here).
    acceptRootPaths: true,
  });
  const config = {
    endpoint: options.endpoint,
    defaultHeaders: JSON.stringify(options.defaultHeaders ?? DEFAULT_GRAPHIQL_HEADERS, null, 2),
    defaultQuery: options.defaultQuery ?? DEFAULT_GRAPHIQL_QUERY,
    ...(options.defaultVariables ? { defaultVariables: JSON.stringify(options.defaultVariables, null, 2) } : {}),
  };
  const configJson = jsonForScript(config);

  return {
    html(): string {
      return bundlePage({
        title: 'govgraph',
        stylesheet: assets.assetUrl('graphiql.css'),
        script: assets.assetUrl('graphiql.js'),
        body: [
          '<div id="graphiql">Loading GraphiQL&hellip;</div>',
          `<script type="application/json" id="govgraph-config">${configJson}</script>`,
          `<noscript>GraphiQL needs JavaScript. You can also POST GraphQL over HTTP to ${escapeAttr(options.endpoint)}.</noscript>`,
        ],
      });
    },

    serveAsset: assets.serveAsset,
  };
}
