/** Reads of the population register. Every read is by known identifiers: nothing enumerates persons. */
import type { Kysely } from 'kysely';
import { preparedKeyRead } from '../runtime/preparedRead.ts';

export interface PopulationDatabase {
  persons: {
    id_number: string;
    name: string;
    gender: string;
    birth_date: string;
    ethnicity: string | null;
    household_no: string;
    household_relation: string;
    household_division: string;
    household_address: string;
    marital_status: string | null;
    biometric_template: string | null;
    deceased: number;
    death_date: string | null;
    updated_at: string;
  };
  households: {
    household_no: string;
    division: string;
    address: string;
    head_id_number: string;
    updated_at: string | null;
  };
}

export interface Person {
  readonly idNumber: string;
  readonly name: string;
  readonly gender: string;
  readonly birthDate: string;
  readonly ethnicity: string | null;
  readonly householdNo: string;
  readonly householdRelation: string;
  readonly householdDivisionCode: string;
  readonly householdAddress: string;
  readonly maritalStatus: string | null;
  readonly biometricTemplate: string | null;
  readonly deceased: boolean;
  readonly deathDate: string | null;
}

export interface Household {
  readonly householdNo: string;
  readonly divisionCode: string;
  readonly address: string;
  readonly headIdNumber: string;
}

function toPerson(row: PopulationDatabase['persons']): Person {
  return {
    idNumber: row.id_number,
    name: row.name,
    gender: row.gender,
    birthDate: row.birth_date,
    ethnicity: row.ethnicity,
    householdNo: row.household_no,
    householdRelation: row.household_relation,
    householdDivisionCode: row.household_division,
    householdAddress: row.household_address,
    maritalStatus: row.marital_status,
    biometricTemplate: row.biometric_template,
    deceased: row.deceased === 1,
    deathDate: row.death_date,
  };
}

// By-key reads, compiled once per number of keys (subgraphs/runtime/preparedRead.ts).
const PERSONS_BY_ID_NUMBERS = preparedKeyRead((db: Kysely<PopulationDatabase>, idNumbers) =>
  db.selectFrom('persons').selectAll().where('id_number', 'in', idNumbers));
const HOUSEHOLDS_BY_NUMBERS = preparedKeyRead((db: Kysely<PopulationDatabase>, householdNos) =>
  db.selectFrom('households').selectAll().where('household_no', 'in', householdNos));
const MEMBERS_OF_HOUSEHOLDS = preparedKeyRead((db: Kysely<PopulationDatabase>, householdNos) =>
  db.selectFrom('persons').selectAll().where('household_no', 'in', householdNos).orderBy('household_no').orderBy('id_number'));

export class PopulationStore {
  constructor(private readonly db: Kysely<PopulationDatabase>) {}

  async personsByIdNumbers(idNumbers: readonly string[]): Promise<Person[]> {
    const rows = await PERSONS_BY_ID_NUMBERS(this.db, idNumbers);
    return rows.map(toPerson);
  }

  async householdsByNumbers(householdNos: readonly string[]): Promise<Household[]> {
    const rows = await HOUSEHOLDS_BY_NUMBERS(this.db, householdNos);
    return rows.map((r) => ({ householdNo: r.household_no, divisionCode: r.division, address: r.address, headIdNumber: r.head_id_number }));
  }

  async membersOfHouseholds(householdNos: readonly string[]): Promise<Person[]> {
    const rows = await MEMBERS_OF_HOUSEHOLDS(this.db, householdNos);
    return rows.map(toPerson);
  }
}
