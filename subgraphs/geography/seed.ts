/** Writes natural resources' part of the demo world: divisions and the real-estate register. */
import type { Kysely } from 'kysely';
import { DIVISIONS, divisionPath } from '../../demo/divisions.ts';
import type { DemoWorld } from '../../demo/world.ts';
import { hasRows, insertRows, SEED_CHUNK_ROWS } from '../runtime/seeding.ts';
import type { SeedReport } from '../runtime/definition.ts';
import { boundingBox } from './pointInPolygon.ts';
import type { GeographyDatabase } from './store.ts';

type RegisterTable = 'parcels' | 'right_holdings' | 'mortgages';

/**
 * Writes each parcel with its holdings and mortgages in one pass, buffering a chunk per
 * table: computing a parcel record costs ~45 µs (it draws its holders from the population
 * and market registers), so walking the world once per table would triple the seed time.
 */
async function seedRealEstateRegister(db: Kysely<GeographyDatabase>, world: DemoWorld, now: string): Promise<Record<RegisterTable, number>> {
  const counts: Record<RegisterTable, number> = { parcels: 0, right_holdings: 0, mortgages: 0 };
  const chunks: { [T in RegisterTable]: GeographyDatabase[T][] } = { parcels: [], right_holdings: [], mortgages: [] };
  await db.transaction().execute(async (trx) => {
    const flush = async (table: RegisterTable) => {
      const rows = chunks[table];
      if (rows.length === 0) return;
      await trx.insertInto(table).values(rows as never).execute();
      counts[table] += rows.length;
      chunks[table] = [];
    };
    const flushAll = async () => {
      // Parcels first: holdings and mortgages reference them.
      await flush('parcels');
      await flush('right_holdings');
      await flush('mortgages');
    };
    for (let k = 0; k < world.size.parcels; k++) {
      const parcel = world.parcel(k);
      chunks.parcels.push({
        unit_no: parcel.unitNo,
        division: parcel.division,
        address: parcel.address,
        land_use: parcel.landUse,
        area: parcel.area,
        geometry: JSON.stringify(parcel.geometry),
        updated_at: now,
      });
      parcel.rightHolders.forEach((holding, seq) => {
        chunks.right_holdings.push({
          unit_no: parcel.unitNo,
          seq,
          holder_kind: holding.holderKind,
          holder_key: holding.holderKey,
          holder_name: holding.holderName,
          right_type: holding.rightType,
          share_percent: holding.sharePercent,
          certificate_no: holding.certificateNo,
          registered_date: holding.registeredDate,
          updated_at: now,
        });
      });
      for (const mortgage of parcel.mortgages) {
        chunks.mortgages.push({
          registration_no: mortgage.registrationNo,
          unit_no: parcel.unitNo,
          mortgagee: mortgage.mortgagee,
          amount: mortgage.amount,
          registered_date: mortgage.registeredDate,
          term_end: mortgage.termEnd,
          status: mortgage.status,
          updated_at: now,
        });
      }
      if (chunks.parcels.length >= SEED_CHUNK_ROWS || chunks.right_holdings.length >= SEED_CHUNK_ROWS || chunks.mortgages.length >= SEED_CHUNK_ROWS) {
        await flushAll();
      }
    }
    await flushAll();
  });
  return counts;
}

export async function seedGeography(db: Kysely<GeographyDatabase>, world: DemoWorld): Promise<SeedReport> {
  const now = new Date().toISOString();
  const divisions = await insertRows(db, 'divisions', (function* () {
    for (const division of DIVISIONS) {
      const [west, south, east, north] = boundingBox(division.boundary);
      yield {
        code: division.code,
        name: division.name,
        level: division.level,
        parent_code: division.parentCode,
        full_name: divisionPath(division.code),
        boundary: JSON.stringify(division.boundary),
        min_lng: west,
        min_lat: south,
        max_lng: east,
        max_lat: north,
        updated_at: now,
      };
    }
  })());
  const register = await seedRealEstateRegister(db, world, now);
  return { rows: { divisions, ...register } };
}

export const isGeographySeeded = (db: Kysely<GeographyDatabase>) => hasRows(db, 'parcels');
