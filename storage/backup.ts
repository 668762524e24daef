/**
 * Backups and restores of the platform's stores (004 art. 25–26, 28: security rules, emergency
 * response, disaster recovery). A backup is a directory: the data, and `backup.json`, its
 * manifest (what was taken, when, from which dialect, each file's SHA-256).
 *
 * - SQLite: every `*.sqlite` file of the data directory, copied with SQLite's online backup
 *   (a consistent copy of each store while the platform runs; each store is consistent in
 *   itself, the stores are taken one after another).
 * - PostgreSQL: `pg_dump --format=custom` of the platform's schemas (those of its schema
 *   prefix, or the whole database without one), restored with `pg_restore`.
 *
 * A backup never holds keys: the platform key and the gateway's key files (DATA_DIR/keys) are
 * kept apart (key escrow), so that a copied backup does not open the secrets sealed inside it
 * (R10). Restoring needs them back in place. Nor does it hold data/demo (plain demo tokens).
 *
 * A restore checks every file against the manifest before it writes anything, and writes only
 * into an empty target (no store there yet): it never overwrites a running platform's data.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { StorageConfig } from './database.ts';
import { ensurePrivateDir, restrictFile } from '../lib/privateFiles.ts';

const run = promisify(execFile);

export const BACKUP_FORMAT = 'govgraph-backup/1';
export const MANIFEST_FILE = 'backup.json';
const PG_DUMP_FILE = 'database.dump';

export interface BackupFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  readonly createdAt: string;
  readonly dialect: StorageConfig['kind'];
  readonly files: readonly BackupFile[];
  /** PostgreSQL: the schemas in the dump. */
  readonly schemas: readonly string[];
  /** What is deliberately not in it. */
  readonly excluded: readonly string[];
}

/** A backup or restore that cannot be done: what is wrong and what to do. Nothing was changed. */
export class BackupError extends Error {}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function describe(dir: string, name: string): Promise<BackupFile> {
  const file = join(dir, name);
  return { name, bytes: statSync(file).size, sha256: await sha256Of(file) };
}

function emptyOrMissing(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/** The schemas the platform's stores live in on PostgreSQL. */
async function platformSchemas(config: Extract<StorageConfig, { kind: 'postgres' }>): Promise<string[]> {
  const client = new pg.Client({ connectionString: config.url });
  client.on('error', () => {});
  await client.connect();
  try {
    const prefix = config.schemaPrefix ?? '';
    const { rows } = await client.query<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public') AND nspname LIKE $1 ORDER BY nspname`,
      [`${prefix.replaceAll('_', '\\_')}%`],
    );
    return rows.map((r) => r.nspname);
  } finally {
    await client.end();
  }
}

/** Copies one SQLite store with SQLite's online backup (consistent while it is written to); the copy is private (R10). */
async function copySqliteStore(from: string, to: string): Promise<void> {
  const source = new SQLite(from, { readonly: true, fileMustExist: true });
  try {
    await source.backup(to);
  } finally {
    source.close();
  }
  restrictFile(to);
}

/** Takes a backup of the platform's stores into `outDir`, which must be empty or absent. */
export async function backupStores(config: StorageConfig, outDir: string, now = new Date()): Promise<BackupManifest> {
  if (!emptyOrMissing(outDir)) throw new BackupError(`${outDir} is not empty: give a new directory for the backup, so no earlier backup is mixed into it`);
  ensurePrivateDir(outDir);
  const excluded = ['keys/ (the platform key and the gateway keys: kept apart, key escrow)', 'demo/ (plain demo tokens)'];
  if (config.kind === 'sqlite') {
    const names = existsSync(config.dataDir) ? readdirSync(config.dataDir).filter((n) => n.endsWith('.sqlite')).sort() : [];
    if (names.length === 0) throw new BackupError(`no stores (*.sqlite) in ${config.dataDir}: is DATA_DIR the platform's data directory?`);
    const files: BackupFile[] = [];
    for (const name of names) {
      await copySqliteStore(join(config.dataDir, name), join(outDir, name));
      files.push(await describe(outDir, name));
    }
    return writeManifest(outDir, { format: BACKUP_FORMAT, createdAt: now.toISOString(), dialect: 'sqlite', files, schemas: [], excluded });
  }
  const schemas = await platformSchemas(config);
  if (schemas.length === 0) throw new BackupError(`no platform schemas in the database${config.schemaPrefix ? ` with prefix ${config.schemaPrefix}` : ''}`);
  const file = join(outDir, PG_DUMP_FILE);
  await pgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, ...schemas.map((s) => `--schema=${s}`), config.url]);
  restrictFile(file);
  return writeManifest(outDir, { format: BACKUP_FORMAT, createdAt: now.toISOString(), dialect: 'postgres', files: [await describe(outDir, PG_DUMP_FILE)], schemas, excluded });
}

function writeManifest(outDir: string, manifest: BackupManifest): BackupManifest {
  writeFileSync(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

async function pgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  try {
    await run(tool, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new BackupError(`${tool} is not installed: install PostgreSQL's client tools (Debian: postgresql-client) of the server's major version`);
    throw new BackupError(`${tool} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

/** Reads and checks a backup's manifest and every file's digest; throws naming what is wrong. */
export async function checkBackup(fromDir: string): Promise<BackupManifest> {
  const manifestFile = join(fromDir, MANIFEST_FILE);
  if (!existsSync(manifestFile)) throw new BackupError(`${fromDir} holds no ${MANIFEST_FILE}: not a govgraph backup`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new BackupError(`${manifestFile} is not valid JSON: ${(error as Error).message}`);
  }
  if (manifest.format !== BACKUP_FORMAT) throw new BackupError(`${manifestFile} is format ${JSON.stringify(manifest.format)}; this govgraph restores ${BACKUP_FORMAT}`);
  const problems: string[] = [];
  for (const f of manifest.files) {
    if (f.name.includes('/') || f.name.includes('\\') || f.name.startsWith('.')) { problems.push(`${f.name}: not a file name`); continue; }
    const file = join(fromDir, f.name);
    if (!existsSync(file)) { problems.push(`${f.name} is missing`); continue; }
    const digest = await sha256Of(file);
    if (digest !== f.sha256) problems.push(`${f.name} does not match the manifest (SHA-256 ${digest}, expected ${f.sha256}): the backup was altered or damaged`);
  }
  if (problems.length) throw new BackupError(`the backup in ${fromDir} was not restored:\n- ${problems.join('\n- ')}`);
  return manifest;
}

/**
 * Restores a backup into the stores `config` names, which must hold nothing yet. Every file is
 * checked against the manifest first; on any problem nothing is written.
 */
export async function restoreStores(config: StorageConfig, fromDir: string): Promise<BackupManifest> {
  const manifest = await checkBackup(fromDir);
  if (manifest.dialect !== config.kind) throw new BackupError(`the backup is of a ${manifest.dialect} platform; the target is ${config.kind} (DATABASE_URL ${config.kind === 'postgres' ? 'is set' : 'is not set'})`);
  if (config.kind === 'sqlite') {
    const present = manifest.files.filter((f) => existsSync(join(config.dataDir, f.name)));
    if (present.length) throw new BackupError(`${config.dataDir} already holds ${present.map((f) => f.name).join(', ')}: restore into an empty data directory (a restore never overwrites a platform's stores)`);
    ensurePrivateDir(config.dataDir);
    // SQLite's backup API again, so each restored file is a whole, consistent database.
    for (const f of manifest.files) await copySqliteStore(join(fromDir, f.name), join(config.dataDir, f.name));
    return manifest;
  }
  const prefix = config.schemaPrefix ?? '';
  const foreign = manifest.schemas.filter((s) => !s.startsWith(prefix));
  if (foreign.length) throw new BackupError(`the backup's schemas ${foreign.join(', ')} do not have the target's schema prefix ${JSON.stringify(prefix)}`);
  const existing = new Set(await platformSchemas(config));
  const clash = manifest.schemas.filter((s) => existing.has(s));
  if (clash.length) throw new BackupError(`the target database already has ${clash.join(', ')}: restore into a database without the platform's schemas (a restore never overwrites a platform's stores)`);
  await pgTool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${config.url}`, join(fromDir, PG_DUMP_FILE)]);
  return manifest;
}
