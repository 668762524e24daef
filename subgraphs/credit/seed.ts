/** Writes development and reform's part of the demo world: credit profiles, penalties, commendations. */
import type { Kysely } from 'kysely';
import type { CreditRecord, DemoWorld } from '../../demo/world.ts';
import { flag, hasRows, insertRows } from '../runtime/seeding.ts';
import type { SeedReport } from '../runtime/definition.ts';
import type { CreditDatabase } from './store.ts';

/**
 * Records computed per round. Computing a record costs more than writing it, so each is
 * computed once and its three tables written from the same bounded block.
 */
const RECORDS_PER_BLOCK = 2000;

/** Every legal entity has a record; about one person in twenty does. */
function* creditRecords(world: DemoWorld): Generator<CreditRecord> {
  for (let j = 0; j < world.size.legalEntities; j++) yield world.creditOfEntity(j);
  for (let i = 0; i < world.size.persons; i++) {
    const record = world.creditOfPerson(i);
    if (record) yield record;
  }
}

function* inBlocks<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let block: T[] = [];
  for (const item of items) {
    block.push(item);
    if (block.length >= size) {
      yield block;
      block = [];
    }
  }
  if (block.length > 0) yield block;
}

export async function seedCredit(db: Kysely<CreditDatabase>, world: DemoWorld): Promise<SeedReport> {
  const now = new Date().toISOString();
  const rows = { credit_profiles: 0, penalties: 0, commendations: 0 };
  for (const block of inBlocks(creditRecords(world), RECORDS_PER_BLOCK)) {
    rows.credit_profiles += await insertRows(db, 'credit_profiles', block.map((c) => ({
      subject_kind: c.subjectKind,
      subject_key: c.subjectKey,
      rating: c.rating,
      dishonest: flag(c.dishonest),
      updated_date: c.updatedDate,
      updated_at: now,
    })));
    rows.penalties += await insertRows(db, 'penalties', (function* () {
      for (const c of block) {
        for (const [position, p] of c.penalties.entries()) {
          yield {
            subject_kind: c.subjectKind,
            subject_key: c.subjectKey,
            position,
            decision_no: p.decisionNo,
            authority: p.authority,
            decision_date: p.decisionDate,
            reason: p.reason,
            kind: p.kind,
            amount: p.amount,
            updated_at: now,
          };
        }
      }
    })());
    rows.commendations += await insertRows(db, 'commendations', (function* () {
      for (const c of block) {
        for (const [position, m] of c.commendations.entries()) {
          yield { subject_kind: c.subjectKind, subject_key: c.subjectKey, position, title: m.title, authority: m.authority, awarded_date: m.awardedDate, updated_at: now };
        }
      }
    })());
  }
  return { rows };
}

export const isCreditSeeded = (db: Kysely<CreditDatabase>) => hasRows(db, 'credit_profiles');
