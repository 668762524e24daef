/** Writes market supervision's part of the demo world: entities, shareholders, annual reports. */
import type { Kysely } from 'kysely';
import type { DemoWorld, LegalEntityRecord } from '../../demo/world.ts';
import { hasRows, insertRows } from '../runtime/seeding.ts';
import type { SeedReport } from '../runtime/definition.ts';
import type { LegalPersonDatabase } from './store.ts';

/**
 * Entities computed per round. Computing an entity costs more than writing it, so each is
 * computed once and its three tables written from the same bounded block.
 */
const ENTITIES_PER_BLOCK = 2000;

export async function seedLegalPerson(db: Kysely<LegalPersonDatabase>, world: DemoWorld): Promise<SeedReport> {
  const now = new Date().toISOString();
  const rows = { legal_entities: 0, shareholders: 0, annual_reports: 0 };
  for (let from = 0; from < world.size.legalEntities; from += ENTITIES_PER_BLOCK) {
    const block: LegalEntityRecord[] = [];
    for (let j = from; j < Math.min(from + ENTITIES_PER_BLOCK, world.size.legalEntities); j++) block.push(world.legalEntity(j));
    rows.legal_entities += await insertRows(db, 'legal_entities', block.map((e) => ({
      credit_code: e.creditCode,
      name: e.name,
      kind: e.kind,
      status: e.status,
      registered_capital: e.registeredCapital,
      established_date: e.establishedDate,
      registered_division: e.registeredDivision,
      registered_address: e.registeredAddress,
      business_scope: e.businessScope,
      registration_authority: e.registrationAuthority,
      legal_representative: world.person(e.legalRepresentativeIndex).idNumber,
      updated_at: now,
    })));
    rows.shareholders += await insertRows(db, 'shareholders', (function* () {
      for (const e of block) {
        for (const [position, s] of e.shareholders.entries()) {
          yield {
            credit_code: e.creditCode,
            position,
            kind: s.kind,
            holder_key: s.key,
            name: s.name,
            subscribed_capital: s.subscribedCapital,
            share_percent: s.sharePercent,
            updated_at: now,
          };
        }
      }
    })());
    rows.annual_reports += await insertRows(db, 'annual_reports', (function* () {
      for (const e of block) {
        for (const a of e.annualReports) {
          yield {
            credit_code: e.creditCode,
            year: a.year,
            submitted_date: a.submittedDate,
            employees: a.employees,
            operating_revenue: a.operatingRevenue,
            total_tax: a.totalTax,
            updated_at: now,
          };
        }
      }
    })());
  }
  return { rows };
}

export const isLegalPersonSeeded = (db: Kysely<LegalPersonDatabase>) => hasRows(db, 'legal_entities');
