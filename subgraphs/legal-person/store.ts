/** Reads of the market entity register. Every read is by known codes: nothing lists all entities. */
import type { Kysely } from 'kysely';
import { preparedKeyRead } from '../runtime/preparedRead.ts';

export interface LegalPersonDatabase {
  legal_entities: {
    credit_code: string;
    name: string;
    kind: string;
    status: string;
    /** 万元. */
    registered_capital: number;
    established_date: string;
    registered_division: string;
    registered_address: string;
    business_scope: string;
    registration_authority: string;
    /** Citizen ID number of the legal representative. */
    legal_representative: string;
    updated_at: string;
  };
  shareholders: {
    credit_code: string;
    /** Order in the register, from 0. */
    position: number;
    kind: string;
    /** Citizen ID number or credit code, by kind. */
    holder_key: string;
    name: string;
    subscribed_capital: number;
    share_percent: number;
    updated_at: string | null;
  };
  annual_reports: {
    credit_code: string;
    year: number;
    submitted_date: string;
    employees: number;
    operating_revenue: number;
    total_tax: number;
    updated_at: string | null;
  };
}

export interface LegalEntity {
  readonly creditCode: string;
  readonly name: string;
  readonly kind: string;
  readonly status: string;
  readonly registeredCapital: number;
  readonly establishedDate: string;
  readonly registeredDivisionCode: string;
  readonly registeredAddress: string;
  readonly businessScope: string;
  readonly registrationAuthority: string;
  readonly legalRepresentativeIdNumber: string;
}

export interface Shareholder {
  readonly creditCode: string;
  readonly kind: 'PERSON' | 'LEGAL_ENTITY';
  readonly holderKey: string;
  readonly name: string;
  readonly subscribedCapital: number;
  readonly sharePercent: number;
}

export interface AnnualReport {
  readonly creditCode: string;
  readonly year: number;
  readonly submittedDate: string;
  readonly employees: number;
  readonly operatingRevenue: number;
  readonly totalTax: number;
}

function toLegalEntity(row: LegalPersonDatabase['legal_entities']): LegalEntity {
  return {
    creditCode: row.credit_code,
    name: row.name,
    kind: row.kind,
    status: row.status,
    registeredCapital: row.registered_capital,
    establishedDate: row.established_date,
    registeredDivisionCode: row.registered_division,
    registeredAddress: row.registered_address,
    businessScope: row.business_scope,
    registrationAuthority: row.registration_authority,
    legalRepresentativeIdNumber: row.legal_representative,
  };
}

// By-key reads, compiled once per number of keys (subgraphs/runtime/preparedRead.ts).
const ENTITIES_BY_CREDIT_CODES = preparedKeyRead((db: Kysely<LegalPersonDatabase>, creditCodes) =>
  db.selectFrom('legal_entities').selectAll().where('credit_code', 'in', creditCodes));
const ENTITIES_REPRESENTED_BY = preparedKeyRead((db: Kysely<LegalPersonDatabase>, idNumbers) =>
  db.selectFrom('legal_entities').selectAll().where('legal_representative', 'in', idNumbers).orderBy('legal_representative').orderBy('credit_code'));

export class LegalPersonStore {
  constructor(private readonly db: Kysely<LegalPersonDatabase>) {}

  async entitiesByCreditCodes(creditCodes: readonly string[]): Promise<LegalEntity[]> {
    const rows = await ENTITIES_BY_CREDIT_CODES(this.db, creditCodes);
    return rows.map(toLegalEntity);
  }

  async entitiesRepresentedBy(idNumbers: readonly string[]): Promise<LegalEntity[]> {
    const rows = await ENTITIES_REPRESENTED_BY(this.db, idNumbers);
    return rows.map(toLegalEntity);
  }

  async shareholdersOf(creditCodes: readonly string[]): Promise<Shareholder[]> {
    const rows = await this.db
      .selectFrom('shareholders')
      .selectAll()
      .where('credit_code', 'in', creditCodes)
      .orderBy('credit_code')
      .orderBy('position')
      .execute();
    return rows.map((r) => ({
      creditCode: r.credit_code,
      kind: r.kind === 'LEGAL_ENTITY' ? 'LEGAL_ENTITY' : 'PERSON',
      holderKey: r.holder_key,
      name: r.name,
      subscribedCapital: r.subscribed_capital,
      sharePercent: r.share_percent,
    }));
  }

  async annualReportsOf(creditCodes: readonly string[]): Promise<AnnualReport[]> {
    const rows = await this.db
      .selectFrom('annual_reports')
      .selectAll()
      .where('credit_code', 'in', creditCodes)
      .orderBy('credit_code')
      .orderBy('year')
      .execute();
    return rows.map((r) => ({
      creditCode: r.credit_code,
      year: r.year,
      submittedDate: r.submitted_date,
      employees: r.employees,
      operatingRevenue: r.operating_revenue,
      totalTax: r.total_tax,
    }));
  }
}
