// The build shared by the gateway's locally bundled browser apps (GraphiQL, the web console).
// Each app says what is particular to it — its entry points and loaders, the files it produces,
// the files whose change makes it stale — and gets a bundle that:
//   - skips the build when every output exists and is newer than every input, unless forced;
//   - runs at most one build per process at a time (concurrent callers share it);
//   - builds with esbuild into a temporary folder inside distDir, refuses the result when it
//     references a remote URL (./checkNoRemoteResources.ts), and renames each file into place.
//
// Glossary: an *asset* is a file the build writes to distDir and the page references; an
// *input* is a file whose modification time is compared with the assets' to decide staleness
// (the app's sources, its build script, and the package.json of each package it bundles).

import { build, type BuildOptions } from 'esbuild';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkNoRemoteResources } from './checkNoRemoteResources.ts';

export interface BrowserBundleSpec {
  /** Names the bundle in messages, e.g. 'GraphiQL' or 'console'. */
  name: string;
  /** Where the assets go (git-ignored). */
  distDir: string;
  /** Every file one build produces; the staleness check wants each of them. */
  assets: readonly string[];
  /** The app's files whose change makes the bundle stale; a missing one is ignored (the build reports it). */
  inputs: () => string[] | Promise<string[]>;
  /** npm packages bundled in; installing another version of one makes the bundle stale. */
  packages?: readonly string[];
  /** The app's own part of the esbuild options; the rest (browser iife, minified, production) is shared. */
  esbuild: Required<Pick<BuildOptions, 'entryPoints' | 'absWorkingDir'>> & Pick<BuildOptions, 'loader' | 'jsx'>;
  /** Patterns this bundle refuses beyond the shared remote-URL ones. */
  extraRemotePatterns?: readonly RegExp[];
}

export interface BrowserBundle {
  readonly name: string;
  readonly distDir: string;
  readonly assets: readonly string[];
  /** Builds unless up to date (or always, with force); resolves to distDir. */
  build(options?: { force?: boolean }): Promise<string>;
  /** True when every asset exists and none is older than any input. */
  isUpToDate(): Promise<boolean>;
  /** The remote-URL check with this bundle's name and patterns; distDir defaults to the bundle's. */
  checkNoRemoteResources(distDir?: string): Promise<void>;
}

/** Browsers the bundles are written for; esbuild lowers newer syntax to them. */
const BROWSER_TARGETS = ['es2020', 'chrome100', 'firefox100', 'safari15', 'edge100'];

async function mtimeOrNull(file: string): Promise<number | null> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

/** The package.json of each package, as resolved from fromDir; an unresolvable one is left out. */
function packageManifests(fromDir: string, packages: readonly string[]): string[] {
  // Resolved from the app's folder, where esbuild resolves the app's imports.
  const require = createRequire(join(fromDir, 'noop.js'));
  const files: string[] = [];
  for (const pkg of packages) {
    try {
      files.push(require.resolve(`${pkg}/package.json`));
    } catch {
      /* not resolvable: the build itself will report it */
    }
  }
  return files;
}

export function defineBrowserBundle(spec: BrowserBundleSpec): BrowserBundle {
  const { name, distDir, assets } = spec;
  if (assets.length === 0) {
    // With no assets every bundle would count as up to date and never be built.
    throw new TypeError(`${name} bundle: assets must name at least one file the build produces`);
  }

  const checkRemote = (dir = distDir): Promise<void> =>
    checkNoRemoteResources(dir, { name, extraPatterns: spec.extraRemotePatterns });

  async function isUpToDate(): Promise<boolean> {
    let oldestOutput = Infinity;
    for (const f of assets) {
      const m = await mtimeOrNull(join(distDir, f));
      if (m === null) return false;
      oldestOutput = Math.min(oldestOutput, m);
    }
    const inputs = [...(await spec.inputs()), ...packageManifests(spec.esbuild.absWorkingDir, spec.packages ?? [])];
    for (const f of inputs) {
      const m = await mtimeOrNull(f);
      if (m !== null && m > oldestOutput) return false;
    }
    return true;
  }

  async function doBuild(): Promise<string> {
    await mkdir(distDir, { recursive: true });
    // Build into a temporary sibling and rename each file into place, so another process
    // (e.g. a parallel test worker or a running gateway) never reads a half-written bundle.
    const tmp = await mkdtemp(join(distDir, '.build-'));
    try {
      await build({
        ...spec.esbuild,
        outdir: tmp,
        bundle: true,
        minify: true,
        platform: 'browser',
        format: 'iife',
        target: BROWSER_TARGETS,
        define: { 'process.env.NODE_ENV': '"production"' },
        legalComments: 'eof',
        sourcemap: false,
        logLevel: 'warning',
      });
      await checkRemote(tmp);
      for (const f of await readdir(tmp)) {
        await rename(join(tmp, f), join(distDir, f));
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return distDir;
  }

  let inFlight: Promise<string> | null = null;

  return {
    name,
    distDir,
    assets,
    async build(options?: { force?: boolean }): Promise<string> {
      if (!options?.force && (await isUpToDate())) return distDir;
      // One build per process at a time; concurrent callers share it.
      if (inFlight) return inFlight;
      inFlight = doBuild().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    isUpToDate,
    checkNoRemoteResources: checkRemote,
  };
}
