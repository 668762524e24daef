// Bundles the local GraphiQL (./app.ts + graphiql's CSS) with esbuild into ./dist/:
//   dist/graphiql.js   (iife, minified, React + GraphiQL + CodeMirror, no CDN)
//   dist/graphiql.css  (graphiql 3's stylesheet; its fonts are already inlined as data: URIs)
// Run as a script (`tsx gateway/graphiql/build.ts [--if-stale]`) or call buildGraphiQL().
// The build is skipped when the outputs exist and are newer than the inputs, unless force.

import { build } from 'esbuild';
import { mkdir, mkdtemp, rename, rm, stat, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the bundle goes (git-ignored). */
export const GRAPHIQL_DIST_DIR = join(here, 'dist');
/** Files html() references; all are produced by one build. */
export const GRAPHIQL_ASSETS = ['graphiql.js', 'graphiql.css'] as const;

const ENTRY = join(here, 'app.ts');

function inputFiles(): string[] {
  const require = createRequire(import.meta.url);
  const files = [ENTRY, join(here, 'page.css'), fileURLToPath(import.meta.url)];
  try {
    files.push(require.resolve('graphiql/package.json'));
  } catch {
    /* not resolvable: the build itself will report it */
  }
  return files;
}

async function mtimeOrNull(file: string): Promise<number | null> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

async function isUpToDate(): Promise<boolean> {
  let oldestOutput = Infinity;
  for (const f of GRAPHIQL_ASSETS) {
    const m = await mtimeOrNull(join(GRAPHIQL_DIST_DIR, f));
    if (m === null) return false;
    oldestOutput = Math.min(oldestOutput, m);
  }
  for (const f of inputFiles()) {
    const m = await mtimeOrNull(f);
    if (m !== null && m > oldestOutput) return false;
  }
  return true;
}

/** A URL the browser would fetch: in a CSS url(), or a src/href-like string. Used as a safety check. */
const FETCHED_URL_PATTERNS: RegExp[] = [
  /url\(\s*['"]?(https?:)?\/\/[^)'"]*/gi, // CSS url(http://…) or protocol-relative url(//…)
  /@import\s+(url\()?\s*['"]?(https?:)?\/\//gi, // CSS @import of a remote sheet
  /\b(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|esm\.sh|cdn\.skypack\.dev)\b/gi,
];

/** Scans the built files; throws when something looks like a remote resource the page would load. */
export async function checkNoRemoteResources(distDir = GRAPHIQL_DIST_DIR): Promise<void> {
  const problems: string[] = [];
  for (const f of await readdir(distDir)) {
    if (!/\.(js|css)$/.test(f)) continue;
    const text = await readFile(join(distDir, f), 'utf8');
    for (const re of FETCHED_URL_PATTERNS) {
      for (const m of text.matchAll(re)) problems.push(`${f}: ${m[0].slice(0, 120)}`);
    }
  }
  if (problems.length) {
    throw new Error(`GraphiQL bundle references remote resources:\n  ${problems.join('\n  ')}`);
  }
}

let inFlight: Promise<string> | null = null;

export async function buildGraphiQL(options?: { force?: boolean }): Promise<string> {
  if (!options?.force && (await isUpToDate())) return GRAPHIQL_DIST_DIR;
  // One build per process at a time; concurrent callers share it.
  if (inFlight) return inFlight;
  inFlight = doBuild().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

async function doBuild(): Promise<string> {
  await mkdir(GRAPHIQL_DIST_DIR, { recursive: true });
  // Build into a temporary sibling and rename each file into place, so another process
  // (e.g. a parallel test worker or a running gateway) never reads a half-written bundle.
  const tmp = await mkdtemp(join(GRAPHIQL_DIST_DIR, '.build-'));
  try {
    await build({
      entryPoints: [{ in: ENTRY, out: 'graphiql' }],
      outdir: tmp,
      bundle: true,
      minify: true,
      platform: 'browser',
      format: 'iife',
      target: ['es2020', 'chrome100', 'firefox100', 'safari15', 'edge100'],
      define: { 'process.env.NODE_ENV': '"production"' },
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
      legalComments: 'eof',
      sourcemap: false,
      logLevel: 'warning',
      absWorkingDir: here,
    });
    await checkNoRemoteResources(tmp);
    for (const f of await readdir(tmp)) {
      await rename(join(tmp, f), join(GRAPHIQL_DIST_DIR, f));
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return GRAPHIQL_DIST_DIR;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  // An explicit `tsx gateway/graphiql/build.ts` always rebuilds; `--if-stale` skips an up-to-date bundle.
  const force = !process.argv.includes('--if-stale');
  const started = Date.now();
  buildGraphiQL({ force })
    .then(async (dir) => {
      for (const f of GRAPHIQL_ASSETS) {
        const s = await stat(join(dir, f));
        console.log(`${join(dir, f)}  ${(s.size / 1024).toFixed(1)} KiB`);
      }
      console.log(`graphiql bundle ready in ${Date.now() - started} ms`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
