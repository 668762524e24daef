import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import SQLite from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { canonicalContent, canonicalJson, canonicalRow, HASHED_COLUMNS, prepareRecord, recordHash, type AccessRecordInput } from './auditRecord.ts';
import { accessRecord } from './testing.ts';

describe('audit record', () => {
  it('derives returned = requested − denied, sorted and without repeats; denied fields count as requested', () => {
    const { content, fields, keys } = prepareRecord(accessRecord({
      requested: ['Person.name', 'Person.householdAddress', 'Person.name'],
      denied: ['Person.photo', 'Person.householdAddress'],
      keys: [{ kind: 'idNumber', value: 'B' }, { kind: 'creditCode', value: 'A' }, { kind: 'idNumber', value: 'B' }],
      time: '2025-03-01T17:00:00+08:00',
      latencyMs: 12.6,
    }));
    expect(content).toMatchObject({
      requested: '["Person.householdAddress","Person.name","Person.photo"]',
      returned: '["Person.name"]',
      denied: '["Person.householdAddress","Person.photo"]',
      keys: '[["creditCode","A"],["idNumber","B"]]',
      time: '2025-03-01T09:00:00.000Z',
      latency_ms: 13,
    });
    expect(fields).toEqual([
      { coordinate: 'Person.householdAddress', outcome: 'DENIED' },
      { coordinate: 'Person.name', outcome: 'RETURNED' },
      { coordinate: 'Person.photo', outcome: 'DENIED' },
    ]);
    expect(keys).toEqual([{ kind: 'creditCode', value: 'A' }, { kind: 'idNumber', value: 'B' }]);
  });

  it('has one canonical form: the append path (one JSON.stringify) and the verify path (column by column) agree', () => {
    expect([...HASHED_COLUMNS]).toEqual([...HASHED_COLUMNS].sort());
    const text = fc.string({ unit: 'binary', maxLength: 20 });
    const input = fc.record({
      department: text, app: text, requestId: text, purpose: fc.option(text), caseId: fc.option(text), operationName: fc.option(text),
      requested: fc.array(text, { maxLength: 4 }), denied: fc.array(text, { maxLength: 2 }), grantsUsed: fc.array(text, { maxLength: 2 }),
      status: fc.integer({ min: 100, max: 599 }), latencyMs: fc.double({ min: 0, max: 1e9, noNaN: true }),
    });
    fc.assert(fc.property(input, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (overrides, seq) => {
      const { content } = prepareRecord(accessRecord(overrides as Partial<AccessRecordInput>));
      expect(canonicalContent(content, seq)).toBe(canonicalRow(content, seq));
      expect(JSON.parse(canonicalRow(content, seq))).toMatchObject({ seq, department: content.department });
    }));
  });

  it('SQLite json_object escapes every well-formed string exactly as JSON.stringify does (the fast path of verify relies on it)', () => {
    const db = new SQLite(':memory:');
    const statement = db.prepare('select json_object(?, ?) as j').pluck();
    const mismatches: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const s = `a${String.fromCharCode(c)}"\\z`;
      if (statement.get('k', s) !== JSON.stringify({ k: s })) mismatches.push(c);
    }
    for (const s of ['😀', '\u{10FFFF}', '民〔2025〕12号']) if (statement.get('k', s) !== JSON.stringify({ k: s })) mismatches.push(s.codePointAt(0)!);
    expect(mismatches).toEqual([]);
    expect(db.prepare('select json_object(\'a\', 9007199254740991, \'b\', null, \'c\', -1) as j').pluck().get()).toBe('{"a":9007199254740991,"b":null,"c":-1}');
    db.close();
  });

  it('hashes prev_hash ‖ canonical form with SHA-256', () => {
    const prev = '0'.repeat(64);
    expect(recordHash(prev, '{"a":"民"}')).toBe(createHash('sha256').update(Buffer.from(`${prev}{"a":"民"}`, 'utf8')).digest('hex'));
    // A value no honest row holds cannot hash like an honest row.
    expect(canonicalRow({ latency_ms: 5.5 }, 1)).toContain('"latency_ms":"!number:5.5"');
  });

  it('canonicalJson sorts keys at every level and refuses what JSON cannot hold', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: 'x', u: undefined })).toBe('{"a":"x","b":[{"c":2,"d":1}]}');
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/details.f must be JSON, received a function/);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(/not a finite number/);
  });
});
