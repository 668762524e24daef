/**
 * On SQLite, verify hashes the canonical form the database builds with json_object (one
 * string per row, fast); a row whose database-built form differs is checked again in
 * JavaScript (slow, authoritative). The two renderings must agree on awkward values, or
 * verify would fall back to the slow check on every such row. (PostgreSQL's rendering by
 * to_json concatenation was measured 2.3× slower than JavaScript's, so there verify builds
 * the form in JavaScript.)
 */
import { describe, expect, it } from 'vitest';
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

describe('the canonical form on SQLite', () => {
  const dialect = 'sqlite' as const;
  it('is the same whether the database or JavaScript renders it', async () => {
    const t = await openTestAuditLog(dialect);
    try {
      for (const [i, text] of AWKWARD.entries()) {
        await t.log.append(accessRecord({ operationName: text, caseId: text || null, department: `d${i}`, latencyMs: i * 1000 + 7 }));
      }
      await t.log.checkpoint();
      const fromDatabase = await readChain(t.log.db, true, 0, 1_000, 1_000);
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
