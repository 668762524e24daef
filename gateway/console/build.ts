// Bundles the console (./app.tsx and ./console.css) with esbuild into ./dist/:
//   dist/console.js    (iife, minified, React and the app; nothing fetched from elsewhere)
//   dist/console.css   (the console's own stylesheet; system fonts only)
// Run as a script (`tsx gateway/console/build.ts [--if-stale]`) or call buildConsole().
// The build is skipped when the outputs exist and are newer than the inputs, unless force.

import { build } from 'esbuild';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the bundle goes (git-ignored). */
export const CONSOLE_DIST_DIR = join(here, 'dist');
/** Files html() references; all are produced by one build. */
export const CONSOLE_ASSETS = ['console.js', 'console.css'] as const;

const ENTRY = join(here, 'app.tsx');
const STYLESHEET = join(here, 'console.css');

/** The console's own sources (tests and the bundle excluded), this script, and the React it bundles. */
async function inputFiles(): Promise<string[]> {
  const files: string[] = [fileURLToPath(import.meta.url)];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== CONSOLE_DIST_DIR && !entry.name.startsWith('.')) await walk(full);
      } else if (/\.(tsx?|css)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        files.push(full);
      }
    }
  };
  await walk(here);
  const require = createRequire(import.meta.url);
  for (const pkg of ['react/package.json', 'react-dom/package.json']) {
    try {
      files.push(require.resolve(pkg));
    } catch {
      /* not resolvable: the build itself will report it */
    }
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
  for (const f of CONSOLE_ASSETS) {
    const m = await mtimeOrNull(join(CONSOLE_DIST_DIR, f));
    if (m === null) return false;
    oldestOutput = Math.min(oldestOutput, m);
  }
  for (const f of await inputFiles()) {
    const m = await mtimeOrNull(f);
    if (m !== null && m > oldestOutput) return false;
  }
  return true;
}

/** A URL the browser would fetch: in a CSS url(), an @import, or a known CDN host. Used as a safety check. */
const FETCHED_URL_PATTERNS: RegExp[] = [
  /url\(\s*['"]?(https?:)?\/\/[^)'"]*/gi, // CSS url(http://…) or protocol-relative url(//…)
  /@import\s+(url\()?\s*['"]?(https?:)?\/\//gi, // CSS @import of a remote sheet
  /\b(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|esm\.sh|cdn\.skypack\.dev)\b/gi,
  /\bfetch\(\s*['"`]https?:\/\//gi, // a hard-coded remote fetch in the app
];

/** Scans the built files; throws when something looks like a remote resource the page would load. */
export async function checkNoRemoteResources(distDir = CONSOLE_DIST_DIR): Promise<void> {
  const problems: string[] = [];
  for (const f of await readdir(distDir)) {
    if (!/\.(js|css)$/.test(f)) continue;
    const text = await readFile(join(distDir, f), 'utf8');
    for (const re of FETCHED_URL_PATTERNS) {
      for (const m of text.matchAll(re)) problems.push(`${f}: ${m[0].slice(0, 120)}`);
    }
  }
  if (problems.length) {
    throw new Error(`console bundle references remote resources:\n  ${problems.join('\n  ')}`);
  }
}

let inFlight: Promise<string> | null = null;

export async function buildConsole(options?: { force?: boolean }): Promise<string> {
  if (!options?.force && (await isUpToDate())) return CONSOLE_DIST_DIR;
  // One build per process at a time; concurrent callers share it.
  if (inFlight) return inFlight;
  inFlight = doBuild().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

async function doBuild(): Promise<string> {
  await mkdir(CONSOLE_DIST_DIR, { recursive: true });
  // Build into a temporary sibling and rename each file into place, so another process
  // (e.g. a parallel test worker or a running gateway) never reads a half-written bundle.
  const tmp = await mkdtemp(join(CONSOLE_DIST_DIR, '.build-'));
  try {
    await build({
      entryPoints: [
        { in: ENTRY, out: 'console' },
        { in: STYLESHEET, out: 'console' },
      ],
      outdir: tmp,
      bundle: true,
      minify: true,
      platform: 'browser',
      format: 'iife',
      target: ['es2020', 'chrome100', 'firefox100', 'safari15', 'edge100'],
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      // Anything a stylesheet might reference stays local (inlined), never a URL.
      loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff2': 'dataurl', '.woff': 'dataurl' },
      legalComments: 'eof',
      sourcemap: false,
      logLevel: 'warning',
      absWorkingDir: here,
    });
    await checkNoRemoteResources(tmp);
    for (const f of await readdir(tmp)) {
      await rename(join(tmp, f), join(CONSOLE_DIST_DIR, f));
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return CONSOLE_DIST_DIR;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  // An explicit `tsx gateway/console/build.ts` always rebuilds; `--if-stale` skips an up-to-date bundle.
  const force = !process.argv.includes('--if-stale');
  const started = Date.now();
  buildConsole({ force })
    .then(async (dir) => {
      for (const f of CONSOLE_ASSETS) {
        const s = await stat(join(dir, f));
        console.log(`${join(dir, f)}  ${(s.size / 1024).toFixed(1)} KiB`);
      }
      console.log(`console bundle ready in ${Date.now() - started} ms`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
