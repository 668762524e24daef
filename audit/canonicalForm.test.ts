/**
 * verify hashes the canonical form the database builds (one string per row, fast); a row
 * whose database-built form differs is checked again in JavaScript (slow, authoritative).
 * The two renderings must agree on awkward values, or verify would fall back to the slow
 * check on every such row.
 */
import { describe, expect, it } from 'vitest';
import { testDialects } from '../storage/testing.ts';
import { canonicalRow } from './auditRecord.ts';
import { accessRecord, openTestAuditLog } from './testing.ts';
import { readChain } from './verifyChain.ts';

const AWKWARD = [
  'quote " backslash \\ slash /',
  'control \u0000 \u0001 \u0008 \u0009 \n \u000b \u000c \r \u001f \u007f',
  '民〔2026〕17号 · ・ 𠀀 😀',
  'line separators \u2028 \u2029',
  '',
];

describe.each(testDialects())('the canonical form on %s', (dialect) => {
  it('is the same whether the database or JavaScript renders it', async () => {
    const t = await openTestAuditLog(dialect);
    try {
      for (const [i, text] of AWKWARD.entries()) {
        // \u0000 cannot be stored in a PostgreSQL text column: that value is SQLite's alone.
        const value = dialect === 'postgres' ? text.replaceAll('\u0000', '') : text;
        await t.log.append(accessRecord({ operationName: value, caseId: value || null, department: `d${i}`, latencyMs: i * 1000 + 7 }));
      }
      await t.log.checkpoint();
      const sqlite = t.log.dialect === 'sqlite';
      const fromDatabase = await readChain(t.log.db, sqlite, 0, 1_000, 1_000);
      const stored = await t.log.db.selectFrom('audit_records').selectAll().orderBy('seq').execute();
      expect(fromDatabase).toHaveLength(AWKWARD.length);
      for (const [i, row] of stored.entries()) {
        expect(fromDatabase[i]!.input).toBe(row.prev_hash + canonicalRow(row, Number(row.seq)));
      }
      expect(await t.log.verify()).toMatchObject({ ok: true, records: AWKWARD.length });
    } finally {
      await t.cleanup();
    }
  });
});
