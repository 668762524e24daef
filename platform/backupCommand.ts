/**
 * `govgraph backup --out DIR`, `govgraph backup check --from DIR`, `govgraph restore --from DIR`
 * (storage/backup.ts): the stores of the platform DATA_DIR and DATABASE_URL name, as the
 * operator's runbook uses them (README "Backups and restores"). Local, no token: whoever runs
 * it already holds the data directory or the database's credentials.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { backupStores, checkBackup, restoreStores, type BackupManifest } from '../storage/backup.ts';
import type { PlatformConfig } from './config.ts';

export interface BackupCommandResult {
  readonly done: 'backup' | 'check' | 'restore';
  readonly directory: string;
  readonly manifest: BackupManifest;
  readonly next?: string;
}

export async function runBackupCommand(command: 'backup' | 'restore', argv: readonly string[], config: PlatformConfig): Promise<BackupCommandResult> {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { out: { type: 'string' }, from: { type: 'string' } } });
  if (command === 'backup' && positionals[0] === 'check') {
    if (!values.from) throw new Error('usage: govgraph backup check --from DIR');
    const directory = resolve(values.from);
    return { done: 'check', directory, manifest: await checkBackup(directory) };
  }
  if (command === 'backup') {
    if (!values.out || positionals.length) throw new Error('usage: govgraph backup --out DIR   (a new, empty directory)');
    const directory = resolve(values.out);
    const manifest = await backupStores(config.storage, directory);
    return { done: 'backup', directory, manifest, next: `keep ${config.dataDir}/keys (and GOVGRAPH_PLATFORM_KEY, if set) apart from this backup: it is needed to restore, and never stored with it` };
  }
  if (!values.from || positionals.length) throw new Error('usage: govgraph restore --from DIR   (into an empty DATA_DIR, or a database without the platform\'s schemas)');
  const directory = resolve(values.from);
  const manifest = await restoreStores(config.storage, directory);
  return { done: 'restore', directory, manifest, next: `put the platform's keys back in ${config.dataDir}/keys (or set GOVGRAPH_PLATFORM_KEY), then run: govgraph audit verify` };
}
