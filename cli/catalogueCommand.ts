/**
 * `govgraph catalogue export [--format json|csv] [--out FILE]` and
 * `govgraph catalogue updates [--status overdue]`.
 *
 * Runs locally against the stores, like the audit commands: the catalogue is built from the
 * subgraphs registered in the platform store (the newest supergraph version: the built-in
 * ones and any a department published), the store's current policy and departments, and the
 * catalogue's own database (release dates, last updates, update tasks, the freshness the
 * providers last reported). It needs no running gateway and no token — whoever can read the
 * stores can read the catalogue — and it writes nothing: changes not yet noticed by the
 * platform show as `updatePending` without opening a task.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../platform/config.ts';
import { PolicyState } from '../control/policies/policyState.ts';
import { PlatformStore, type PlatformDatabase } from '../control/store/platformStore.ts';
import { WorkingDayCalendar, type CalendarOverrides } from '../policies/workingDays.ts';
import { databaseName, openDatabase, type StorageConfig } from '../storage/database.ts';
import { SubgraphRegistry } from '../control/registry/subgraphRegistry.ts';
import { openCatalogueDatabase } from '../control/catalogue/catalogueDatabase.ts';
import { CatalogueService } from '../control/catalogue/catalogueService.ts';
import { catalogueDocument, toCsv, toJson, toXlsx } from '../control/catalogue/export.ts';
import { renderHuman } from './table.ts';

type Flags = Record<string, string | boolean | undefined>;

export type ExportFormat = 'json' | 'csv' | 'xlsx';

export class CatalogueCommandError extends Error {}

export interface LocalCatalogueOptions {
  readonly storage: StorageConfig;
  readonly calendarOverridesFile: string;
  readonly now?: Date;
}

/** Opens the platform store and the catalogue database read-only in spirit, runs `work`, closes both. */
export async function withLocalCatalogue<T>(options: LocalCatalogueOptions, work: (catalogue: CatalogueService, policyVersion: number) => Promise<T>): Promise<T> {
  if (options.storage.kind === 'sqlite' && !existsSync(join(options.storage.dataDir, `${databaseName('platform')}.sqlite`))) {
    throw new CatalogueCommandError(`no platform store under ${options.storage.dataDir}: start the platform once (npm start), or set DATA_DIR / DATABASE_URL to where it runs`);
  }
  const platform = await openDatabase<PlatformDatabase>(options.storage, 'platform');
  try {
    const store = new PlatformStore(platform.db);
    const registry = new SubgraphRegistry(store);
    const subgraphs = () => registry.subgraphSdls();
    const policy = new PolicyState(store, subgraphs, () => registry.owners());
    try {
      await policy.refresh();
    } catch (error) {
      throw new CatalogueCommandError(`the platform store at ${platform.location} cannot be read (${(error as Error).message}): start the platform once so that it is migrated and seeded`);
    }
    const catalogueDb = await openCatalogueDatabase(options.storage);
    try {
      const calendar = WorkingDayCalendar.official(JSON.parse(readFileSync(options.calendarOverridesFile, 'utf8')) as CalendarOverrides);
      const catalogue = new CatalogueService({
        db: catalogueDb.db, subgraphs, snapshot: () => policy.current, providers: () => store.departments(), calendar,
        reconcileOnRead: false, ...(options.now ? { clock: () => options.now! } : {}),
      });
      return await work(catalogue, policy.current.version);
    } finally {
      await catalogueDb.close();
    }
  } finally {
    await platform.close();
  }
}

/** The whole catalogue, as JSON or CSV text (UTF-8 with a BOM), or an Excel workbook. */
export function exportCatalogue(options: LocalCatalogueOptions & { readonly format: 'json' | 'csv' }): Promise<string>;
export function exportCatalogue(options: LocalCatalogueOptions & { readonly format: ExportFormat }): Promise<string | Buffer>;
export function exportCatalogue(options: LocalCatalogueOptions & { readonly format: ExportFormat }): Promise<string | Buffer> {
  return withLocalCatalogue(options, async (catalogue, version) => {
    const entries = await catalogue.entries();
    if (options.format === 'xlsx') return toXlsx(entries);
    return options.format === 'csv' ? toCsv(entries) : toJson(catalogueDocument(entries, version, options.now ?? new Date()));
  });
}

export async function runCatalogueCommand(args: string[], flags: Flags, env: NodeJS.ProcessEnv = process.env, out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const [command = 'export'] = args;
  const config = loadConfig(env);
  const local = { storage: config.storage, calendarOverridesFile: config.calendarOverridesFile };
  try {
    switch (command) {
      case 'export': {
        const format = (flags.format ?? 'json') as string;
        if (format !== 'json' && format !== 'csv' && format !== 'xlsx') throw new CatalogueCommandError(`--format is json, csv or xlsx, received ${JSON.stringify(format)}`);
        const hasOut = typeof flags.out === 'string' && flags.out;
        if (format === 'xlsx' && !hasOut) throw new CatalogueCommandError('--format xlsx writes a workbook: give it a file with --out catalogue.xlsx');
        const text = await exportCatalogue({ ...local, format });
        if (hasOut) {
          writeFileSync(flags.out as string, text);
          out(`${JSON.stringify({ written: flags.out, format, bytes: Buffer.byteLength(text) })}\n`);
        } else {
          out(text as string);
        }
        return 0;
      }
      case 'updates': {
        const status = flags.status as string | undefined;
        if (status !== undefined && status !== 'overdue' && status !== 'open' && status !== 'all') throw new CatalogueCommandError(`--status is open, overdue or all, received ${JSON.stringify(status)}`);
        const updates = await withLocalCatalogue(local, (catalogue) => catalogue.updates({ overdueOnly: status === 'overdue', includeClosed: status === 'all' }));
        out(flags.json === false ? renderHuman(updates) : `${JSON.stringify(updates, null, 2)}\n`);
        return 0;
      }
      default:
        throw new CatalogueCommandError(`usage: govgraph catalogue export [--format json|csv|xlsx] [--out FILE] | govgraph catalogue updates [--status open|overdue|all]; received ${JSON.stringify(command)}`);
    }
  } catch (error) {
    process.stderr.write(`govgraph: ${error instanceof CatalogueCommandError ? error.message : (error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
