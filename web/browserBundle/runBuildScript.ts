// The command-line side of a browser bundle's build.ts: `tsx gateway/<app>/build.ts [--if-stale]`.
// An explicit run always rebuilds (someone asked for it); `--if-stale` skips an up-to-date bundle.
// It prints each asset's size, or the error with a non-zero exit code.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserBundle } from './defineBrowserBundle.ts';

/**
 * Builds `bundle` when the module at `moduleUrl` (pass `import.meta.url`) is the script node was
 * started with, and does nothing when it is merely imported (by the gateway or a test).
 */
export function runBuildScript(moduleUrl: string, bundle: BrowserBundle): void {
  const script = process.argv[1];
  if (script === undefined || moduleUrl !== pathToFileURL(script).href) return;
  const force = !process.argv.includes('--if-stale');
  const started = Date.now();
  bundle
    .build({ force })
    .then(async (dir) => {
      for (const f of bundle.assets) {
        const s = await stat(join(dir, f));
        console.log(`${join(dir, f)}  ${(s.size / 1024).toFixed(1)} KiB`);
      }
      // Lower case, as these lines have always read ("graphiql bundle ready", "console bundle ready").
      console.log(`${bundle.name.toLowerCase()} bundle ready in ${Date.now() - started} ms`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
