/**
 * Starts a worker thread on a TypeScript module of this folder. Loader hooks are per
 * thread and `--import tsx` in execArgv resolves from the working directory, so tsx's ESM
 * API is registered inside the worker, found through tsx's package.json.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

let tsxApi: string | null = null;

function tsxApiUrl(): string {
  if (tsxApi) return tsxApi;
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  tsxApi = pathToFileURL(join(dirname(manifest), exports['./esm/api']!.import.default)).href;
  return tsxApi;
}

export function startTsWorker(entry: URL, workerData: unknown): Worker {
  const code = `import(${JSON.stringify(tsxApiUrl())}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}
