// Bundles the console (./app.tsx and ./console.css) with esbuild into ./dist/:
//   dist/console.js    (iife, minified, React and the app; nothing fetched from elsewhere)
//   dist/console.css   (the console's own stylesheet; system fonts only)
// Run as a script (`tsx web/console/build.ts [--if-stale]`) or call buildConsole().
// The build is skipped when the outputs exist and are newer than the inputs, unless force;
// staleness, the atomic write and the remote-URL check are ../browserBundle/defineBrowserBundle.ts.

import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineBrowserBundle } from '../browserBundle/defineBrowserBundle.ts';
import { runBuildScript } from '../browserBundle/runBuildScript.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the bundle goes (git-ignored). */
export const CONSOLE_DIST_DIR = join(here, 'dist');
/** Files html() references; all are produced by one build. */
export const CONSOLE_ASSETS = ['console.js', 'console.css'] as const;

/** The console's own sources (tests and the bundle excluded) and this script. */
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
  return files;
}

const consoleBundle = defineBrowserBundle({
  name: 'console',
  distDir: CONSOLE_DIST_DIR,
  assets: CONSOLE_ASSETS,
  inputs: inputFiles,
  packages: ['react', 'react-dom'],
  esbuild: {
    entryPoints: [
      { in: join(here, 'app.tsx'), out: 'console' },
      { in: join(here, 'console.css'), out: 'console' },
    ],
    absWorkingDir: here,
    jsx: 'automatic',
    // Anything a stylesheet might reference stays local (inlined), never a URL.
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff2': 'dataurl', '.woff': 'dataurl' },
  },
  // The console talks only to its own origin's API, so a hard-coded remote fetch fails its build too.
  extraRemotePatterns: [/\bfetch\(\s*['"`]https?:\/\//gi],
});

/** Scans the built files; throws when something looks like a remote resource the page would load. */
export function checkNoRemoteResources(distDir = CONSOLE_DIST_DIR): Promise<void> {
  return consoleBundle.checkNoRemoteResources(distDir);
}

export function buildConsole(options?: { force?: boolean }): Promise<string> {
  return consoleBundle.build(options);
}

runBuildScript(import.meta.url, consoleBundle);
