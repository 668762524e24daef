// Bundles the local GraphiQL (./app.ts + graphiql's CSS) with esbuild into ./dist/:
//   dist/graphiql.js   (iife, minified, React + GraphiQL + CodeMirror, no CDN)
//   dist/graphiql.css  (graphiql 3's stylesheet; its fonts are already inlined as data: URIs)
// Run as a script (`tsx web/graphiql/build.ts [--if-stale]`) or call buildGraphiQL().
// The build is skipped when the outputs exist and are newer than the inputs, unless force;
// staleness, the atomic write and the remote-URL check are ../browserBundle/defineBrowserBundle.ts.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineBrowserBundle } from '../browserBundle/defineBrowserBundle.ts';
import { runBuildScript } from '../browserBundle/runBuildScript.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the bundle goes (git-ignored). */
export const GRAPHIQL_DIST_DIR = join(here, 'dist');
/** Files html() references; all are produced by one build. */
export const GRAPHIQL_ASSETS = ['graphiql.js', 'graphiql.css'] as const;

const ENTRY = join(here, 'app.ts');

const graphiql = defineBrowserBundle({
  name: 'GraphiQL',
  distDir: GRAPHIQL_DIST_DIR,
  assets: GRAPHIQL_ASSETS,
  // The app, the page stylesheet it imports, and this script (a change of options here is a change too).
  inputs: () => [ENTRY, join(here, 'page.css'), fileURLToPath(import.meta.url)],
  packages: ['graphiql'],
  esbuild: {
    entryPoints: [{ in: ENTRY, out: 'graphiql' }],
    absWorkingDir: here,
    // graphiql's CSS inlines its fonts/icons as data: URIs already; these loaders keep any
    // other referenced file local (inlined), never a URL.
    loader: {
      '.woff': 'dataurl',
      '.woff2': 'dataurl',
      '.ttf': 'dataurl',
      '.eot': 'dataurl',
      '.svg': 'dataurl',
      '.png': 'dataurl',
      '.gif': 'dataurl',
      '.jpg': 'dataurl',
    },
  },
});

/** Scans the built files; throws when something looks like a remote resource the page would load. */
export function checkNoRemoteResources(distDir = GRAPHIQL_DIST_DIR): Promise<void> {
  return graphiql.checkNoRemoteResources(distDir);
}

export function buildGraphiQL(options?: { force?: boolean }): Promise<string> {
  return graphiql.build(options);
}

runBuildScript(import.meta.url, graphiql);
