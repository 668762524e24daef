/** Writes public security's part of the demo world: households and persons. */
import type { Kysely } from 'kysely';
import type { DemoWorld } from '../../demo/world.ts';
import { flag, hasRows, insertRows } from '../runtime/seeding.ts';
import type { SeedReport } from '../runtime/definition.ts';
import type { PopulationDatabase } from './store.ts';

export async function seedPopulation(db: Kysely<PopulationDatabase>, world: DemoWorld): Promise<SeedReport> {
  const now = new Date().toISOString();
  const households = await insertRows(db, 'households', (function* () {
    for (let h = 0; h < world.householdCount; h++) {
      const household = world.household(h);
      yield {
        household_no: household.householdNo,
        division: household.division,
        address: household.address,
        head_id_number: world.person(household.headIndex).idNumber,
        updated_at: now,
      };
    }
  })());
  const persons = await insertRows(db, 'persons', (function* () {
    for (let i = 0; i < world.size.persons; i++) {
      const p = world.person(i);
      yield {
        id_number: p.idNumber,
        name: p.name,
        gender: p.gender,
        birth_date: p.birthDate,
        ethnicity: p.ethnicity,
        household_no: p.householdNo,
        household_relation: p.householdRelation,
        household_division: p.householdDivision,
        household_address: p.householdAddress,
        marital_status: p.maritalStatus,
        biometric_template: p.biometricTemplate,
        deceased: flag(p.deceased),
        death_date: p.deathDate,
        updated_at: now,
      };
    }
  })());
  return { rows: { households, persons } };
}

export const isPopulationSeeded = (db: Kysely<PopulationDatabase>) => hasRows(db, 'persons');
