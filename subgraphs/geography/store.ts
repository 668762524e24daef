/**
 * Reads of natural resources' data: administrative divisions and the real-estate register.
 * Every read takes a list of known keys (one statement per batch); nothing lists all parcels
 * or all right holders.
 */
import type { Kysely } from 'kysely';
import type { DivisionLevel } from '../../demo/divisions.ts';
import { pointInPolygon, type AreaGeometry } from './pointInPolygon.ts';

export interface GeographyDatabase {
  divisions: {
    code: string;
    name: string;
    level: string;
    parent_code: string | null;
    full_name: string;
    /** GeoJSON MultiPolygon as JSON text. */
    boundary: string;
    min_lng: number;
    min_lat: number;
    max_lng: number;
    max_lat: number;
    updated_at: string | null;
  };
  parcels: {
    unit_no: string;
    division: string;
    address: string;
    land_use: string;
    area: number;
    /** GeoJSON Polygon as JSON text. */
    geometry: string;
    updated_at: string | null;
  };
  right_holdings: {
    unit_no: string;
    /** Order of the holder on the register page. */
    seq: number;
    holder_kind: string;
    /** idNumber of a PERSON, creditCode of a LEGAL_ENTITY. */
    holder_key: string;
    holder_name: string;
    right_type: string;
    share_percent: number;
    certificate_no: string;
    registered_date: string;
    updated_at: string | null;
  };
  mortgages: {
    registration_no: string;
    unit_no: string;
    mortgagee: string;
    amount: number;
    registered_date: string;
    term_end: string;
    status: string;
    updated_at: string | null;
  };
}

export type HolderKind = 'PERSON' | 'LEGAL_ENTITY';

export interface Division {
  readonly code: string;
  readonly name: string;
  readonly level: DivisionLevel;
  readonly parentCode: string | null;
  readonly fullName: string;
  /** JSON text; the GeoJSON scalar parses it on the way out. */
  readonly boundary: string;
}

export interface Parcel {
  readonly unitNo: string;
  readonly divisionCode: string;
  readonly address: string;
  readonly landUse: string;
  readonly area: number;
  /** JSON text; the GeoJSON scalar parses it on the way out. */
  readonly geometry: string;
}

export interface RightHolding {
  readonly unitNo: string;
  readonly holderKind: HolderKind;
  readonly holderKey: string;
  readonly rightType: string;
  readonly sharePercent: number;
  readonly certificateNo: string;
  readonly registeredDate: string;
}

export interface Mortgage {
  readonly unitNo: string;
  readonly registrationNo: string;
  readonly mortgagee: string;
  readonly amount: number;
  readonly registeredDate: string;
  readonly termEnd: string;
  readonly status: 'ACTIVE' | 'RELEASED';
}

/** A parcel found through one of its holders. */
export interface HeldParcel {
  readonly holderKey: string;
  readonly parcel: Parcel;
}

const LEVEL_ORDER: Readonly<Record<DivisionLevel, number>> = { PROVINCE: 0, CITY: 1, COUNTY: 2, TOWNSHIP: 3 };

function toDivision(row: GeographyDatabase['divisions']): Division {
  return {
    code: row.code,
    name: row.name,
    level: row.level as DivisionLevel,
    parentCode: row.parent_code,
    fullName: row.full_name,
    boundary: row.boundary,
  };
}

function toParcel(row: Omit<GeographyDatabase['parcels'], 'updated_at'>): Parcel {
  return {
    unitNo: row.unit_no,
    divisionCode: row.division,
    address: row.address,
    landUse: row.land_use,
    area: row.area,
    geometry: row.geometry,
  };
}

export class GeographyStore {
  constructor(private readonly db: Kysely<GeographyDatabase>) {}

  async divisionsByCodes(codes: readonly string[]): Promise<Division[]> {
    const rows = await this.db.selectFrom('divisions').selectAll().where('code', 'in', codes).execute();
    return rows.map(toDivision);
  }

  async childrenOfDivisions(parentCodes: readonly string[]): Promise<Division[]> {
    const rows = await this.db.selectFrom('divisions').selectAll().where('parent_code', 'in', parentCodes).orderBy('code').execute();
    return rows.map(toDivision);
  }

  /** Divisions whose boundary contains the point, province first: bounding boxes in SQL, then the exact test. */
  async divisionsContaining(lng: number, lat: number): Promise<Division[]> {
    const candidates = await this.db
      .selectFrom('divisions')
      .selectAll()
      .where('min_lng', '<=', lng)
      .where('max_lng', '>=', lng)
      .where('min_lat', '<=', lat)
      .where('max_lat', '>=', lat)
      .execute();
    return candidates
      .filter((row) => pointInPolygon(lng, lat, JSON.parse(row.boundary) as AreaGeometry))
      .map(toDivision)
      .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.code.localeCompare(b.code));
  }

  async parcelsByUnitNos(unitNos: readonly string[]): Promise<Parcel[]> {
    const rows = await this.db.selectFrom('parcels').selectAll().where('unit_no', 'in', unitNos).execute();
    return rows.map(toParcel);
  }

  async rightHoldingsOfParcels(unitNos: readonly string[]): Promise<RightHolding[]> {
    const rows = await this.db
      .selectFrom('right_holdings')
      .selectAll()
      .where('unit_no', 'in', unitNos)
      .orderBy('unit_no')
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({
      unitNo: r.unit_no,
      holderKind: r.holder_kind as HolderKind,
      holderKey: r.holder_key,
      rightType: r.right_type,
      sharePercent: r.share_percent,
      certificateNo: r.certificate_no,
      registeredDate: r.registered_date,
    }));
  }

  async mortgagesOfParcels(unitNos: readonly string[]): Promise<Mortgage[]> {
    const rows = await this.db
      .selectFrom('mortgages')
      .selectAll()
      .where('unit_no', 'in', unitNos)
      .orderBy('unit_no')
      .orderBy('registered_date')
      .orderBy('registration_no')
      .execute();
    return rows.map((r) => ({
      unitNo: r.unit_no,
      registrationNo: r.registration_no,
      mortgagee: r.mortgagee,
      amount: r.amount,
      registeredDate: r.registered_date,
      termEnd: r.term_end,
      status: r.status as Mortgage['status'],
    }));
  }

  /** Parcels in which the given persons or legal entities hold a registered right. */
  async parcelsHeldBy(kind: HolderKind, holderKeys: readonly string[]): Promise<HeldParcel[]> {
    const rows = await this.db
      .selectFrom('right_holdings as h')
      .innerJoin('parcels as p', 'p.unit_no', 'h.unit_no')
      .select(['h.holder_key', 'p.unit_no', 'p.division', 'p.address', 'p.land_use', 'p.area', 'p.geometry'])
      // A holder listed twice on one unit (two rights) still holds one parcel.
      .distinct()
      .where('h.holder_kind', '=', kind)
      .where('h.holder_key', 'in', holderKeys)
      .orderBy('h.holder_key')
      .orderBy('p.unit_no')
      .execute();
    return rows.map((r) => ({ holderKey: r.holder_key, parcel: toParcel(r) }));
  }
}
