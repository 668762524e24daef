/**
 * Backups and restores (issue 16; 004 art. 25–26, 28): a backup of a running platform, the
 * platform lost, the backup restored into empty stores with the keys put back from their
 * separate keeping — the application and the audit trail are there and the chain verifies. A
 * damaged backup, a target that is not empty and a backup of the other dialect are refused
 * before anything is written.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDialects } from '../storage/testing.ts';
import { backupStores, checkBackup, MANIFEST_FILE, restoreStores } from '../storage/backup.ts';
import { startTestPlatform } from './harness.ts';
import { startPlatform } from '../platform/startPlatform.ts';
import { loadConfig } from '../platform/config.ts';
import { runAuditCommand } from '../audit/cli.ts';

const APPLY = `mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id status } }`;

describe.each(testDialects())('backup and restore on %s', (dialect) => {
  const scratch = mkdtempSync(join(tmpdir(), 'govgraph-backup-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('restores a running platform\'s backup after the platform is lost: its application and audit trail are there, and the chain verifies', async () => {
    const platform = await startTestPlatform(dialect);
    const read = await platform.query(`{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name } }`);
    expect(read.body.data?.person?.name, JSON.stringify(read.body).slice(0, 400)).toBeTruthy();
    const applied = await platform.admin(APPLY, { input: {
      coordinates: ['Person.householdAddress'], purpose: 'ADMINISTRATIVE_BASIS', justification: '最低生活保障审核', legalBasis: '《社会救助暂行办法》第十一条', requestedUntil: '2027-06-30',
    } }, platform.appToken('hrss'));
    expect(applied.body.errors).toBeUndefined();
    const applicationId = applied.body.data.applyForAccess[0].id as string;

    // Taken while the platform answers; the keys go to their own, separate keeping.
    const backup = join(scratch, `${dialect}-backup`);
    const manifest = await backupStores(platform.storage.config, backup);
    expect(manifest.files.length).toBeGreaterThan(0);
    expect(readdirSync(backup)).not.toContain('keys');
    const escrow = join(scratch, `${dialect}-keys`);
    cpSync(join(platform.storage.dataDir, 'keys'), escrow, { recursive: true });
    const config = platform.storage.config;
    await platform.stop(); // the data directory and (PostgreSQL) the schemas are gone

    const dataDir = mkdtempSync(join(tmpdir(), 'govgraph-restored-'));
    const target = config.kind === 'sqlite' ? { kind: 'sqlite' as const, dataDir } : config;
    await restoreStores(target, backup);
    cpSync(escrow, join(dataDir, 'keys'), { recursive: true });
    const restored = await startPlatform({ ...loadConfig({ DATA_DIR: dataDir, PORT: '0', GOVGRAPH_SUBGRAPHS: 'inprocess' }), storage: target }, { log: () => {} });
    try {
      const res = await fetch(restored.credentials.admin, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${restored.credentials.platformAdminToken}` },
        body: JSON.stringify({ query: 'query($id: ID!) { application(id: $id) { id status consumer } }', variables: { id: applicationId } }),
      });
      expect((await res.json()).data.application).toEqual({ id: applicationId, status: 'PENDING', consumer: 'hrss' });
      const lines: string[] = [];
      const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
      expect(await runAuditCommand(['verify'], { dataDir, storage: target }, io), lines.join('\n')).toBe(0);
      const accessRecords: string[] = [];
      expect(await runAuditCommand(['query', '--kind', 'ACCESS', '--consumer', 'mca'], { dataDir, storage: target }, { out: (l) => accessRecords.push(l), err: () => {} })).toBe(0);
      expect(accessRecords.join('\n')).toContain('Person.name');
    } finally {
      await restored.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (config.kind === 'postgres') {
        // The restored schemas carry the lost platform's prefix; drop them as its cleanup did.
        const pg = (await import('pg')).default;
        const client = new pg.Client({ connectionString: config.url });
        await client.connect();
        const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${config.schemaPrefix}%`]);
        for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
        await client.end();
      }
    }
  }, 240_000);

  it('refuses a damaged backup, a target already holding stores, and a backup of the other dialect, writing nothing', async () => {
    const platform = await startTestPlatform(dialect);
    const backup = join(scratch, `${dialect}-damaged`);
    const manifest = await backupStores(platform.storage.config, backup);
    try {
      // Positive control: the untouched backup checks.
      await expect(checkBackup(backup)).resolves.toMatchObject({ dialect });
      // Not over a platform's stores.
      await expect(restoreStores(platform.storage.config, backup)).rejects.toThrow(/already (holds|has) .*a restore never overwrites a platform's stores/);
      // A second backup into a used directory.
      await expect(backupStores(platform.storage.config, backup)).rejects.toThrow(/is not empty/);
      // The other dialect.
      const other = dialect === 'sqlite' ? { kind: 'postgres' as const, url: 'postgres://nobody@127.0.0.1:1/none' } : { kind: 'sqlite' as const, dataDir: mkdtempSync(join(tmpdir(), 'govgraph-other-')) };
      await expect(restoreStores(other, backup)).rejects.toThrow(new RegExp(`the backup is of a ${dialect} platform`));
      // One byte changed: named, and an empty target stays empty.
      const file = join(backup, manifest.files[0]!.name);
      const bytes = readFileSync(file);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
      writeFileSync(file, bytes);
      await expect(checkBackup(backup)).rejects.toThrow(new RegExp(`${manifest.files[0]!.name} does not match the manifest`));
      if (dialect === 'sqlite') {
        const empty = mkdtempSync(join(tmpdir(), 'govgraph-empty-'));
        await expect(restoreStores({ kind: 'sqlite', dataDir: empty }, backup)).rejects.toThrow(/was altered or damaged/);
        expect(readdirSync(empty)).toEqual([]);
      }
      writeFileSync(join(backup, MANIFEST_FILE), '{ not json');
      await expect(checkBackup(backup)).rejects.toThrow(/is not valid JSON/);
    } finally {
      await platform.stop();
    }
  }, 240_000);
});
