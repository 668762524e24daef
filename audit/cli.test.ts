import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStorage, testDialects, type TestStorage } from '../storage/testing.ts';
import { AuditLog } from './auditLog.ts';
import { loadOrCreateAuditKeys } from './checkpoint.ts';
import { runAuditCommand } from './cli.ts';
import { openAuditDatabase } from './auditDatabase.ts';
import { accessRecord } from './testing.ts';

describe.each(testDialects())('govgraph audit on %s', (dialect) => {
  let storage: TestStorage | null = null;
  afterEach(async () => {
    await storage?.cleanup();
    storage = null;
  });

  async function withRecords(n: number): Promise<{ config: { dataDir: string; storage: TestStorage['config'] } }> {
    storage = createTestStorage(dialect);
    const log = await AuditLog.open(storage.config, { signingKey: loadOrCreateAuditKeys(storage.dataDir).privateKey, checkpointEvery: 10, maxBatch: 10 });
    for (let i = 0; i < n; i++) {
      await log.append(accessRecord({ department: i % 2 ? 'mca' : 'hrss', keys: [{ kind: 'idNumber', value: `44010419900101011${i % 3}` }], requested: ['Person.name', 'Person.householdAddress'], denied: i === 4 ? ['Person.householdAddress'] : [] }));
    }
    await log.close();
    return { config: { dataDir: storage.dataDir, storage: storage.config } };
  }

  const run = async (argv: string[], config: { dataDir: string; storage: TestStorage['config'] }) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAuditCommand(argv, config, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  };

  it('verify prints ok with the count and the time, and exits 0', async () => {
    const { config } = await withRecords(12);
    const { code, out } = await run(['verify'], config);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^ok: 12 records, 2 checkpoints, head 12 [0-9a-f]{64}, 0 after the last checkpoint; \d+\.\d\d s/);
    expect((await run(['verify', '--indexes', '--workers', '2'], config)).code).toBe(0);
  });

  it('verify names the first bad record and exits 1', async () => {
    const { config } = await withRecords(12);
    const opened = await openAuditDatabase(config.storage);
    await sql`update audit_records set purpose = 'LAW_ENFORCEMENT' where seq = 7`.execute(opened.db);
    await opened.close();
    const { code, out } = await run(['verify'], config);
    expect(code).toBe(1);
    expect(out[0]).toMatch(/^FAILED at record 7: CONTENT_CHANGED — record 7's content does not match its hash/);
  });

  it('query prints JSON lines and says how to continue', async () => {
    const { config } = await withRecords(12);
    const all = await run(['query', '--key', 'idNumber=440104199001010111', '--consumer', 'mca', '--field', 'Person.name'], config);
    expect(all.code).toBe(0);
    const records = all.out.map((line) => JSON.parse(line));
    expect(records.map((r) => r.seq)).toEqual([2, 8]);
    // Shown masked, as citizen identity numbers are on display (4401**********0111).
    expect(records[0]).toMatchObject({ department: 'mca', keys: [{ kind: 'idNumber', value: '4401**********0111' }] });
    expect(all.out.join('\n')).not.toContain('440104199001010111');
    const page = await run(['query', '--limit', '5'], config);
    expect(page.out).toHaveLength(5);
    expect(page.err).toEqual(['more records: continue with --after 5']);
    const denied = await run(['query', '--field', 'Person.householdAddress', '--outcome', 'DENIED'], config);
    expect(denied.out.map((line) => JSON.parse(line).seq)).toEqual([5]);
  });

  it('writes CSV (BOM, Chinese headers) and Excel with the identity numbers masked', async () => {
    const { config } = await withRecords(3);
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'govgraph-audit-export-'));
    try {
      const csv = await run(['query', '--format', 'csv'], config);
      expect(csv.code).toBe(0);
      expect(csv.out[0]!.startsWith('\ufeff序号 (seq),时间 (time),')).toBe(true);
      expect(csv.out[0]).toContain('idNumber=4401**********0110');
      expect(csv.out[0]).not.toMatch(/44010419900101011\d/);
      const out = join(dir, 'records.xlsx');
      const xlsx = await run(['query', '--format', 'xlsx', '--out', out], config);
      expect(xlsx.code).toBe(0);
      expect(JSON.parse(xlsx.out[0]!)).toEqual({ written: out, format: 'xlsx', records: 3 });
      const { default: ExcelJS } = await import('exceljs');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(readFileSync(out) as never);
      const sheet = workbook.getWorksheet('审计记录')!;
      expect(sheet.rowCount).toBe(4);
      expect(sheet.getRow(1).getCell(1).value).toBe('序号 (seq)');
      expect(String(sheet.getRow(2).getCell(12).value)).toBe('idNumber=4401**********0110');
      expect((await run(['query', '--format', 'xlsx'], config)).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad usage with exit code 2 and the usage', async () => {
    const { config } = await withRecords(1);
    for (const argv of [['frobnicate'], ['query', '--key', 'passport=1'], ['query', '--limit', 'lots'], ['query', '--from', 'yesterday'], ['verify', '--bogus']]) {
      const { code, err } = await run(argv, config);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.join('\n')).toMatch(/usage:\n {2}govgraph audit verify/);
    }
  });
});
