/**
 * The demo world: who exists, what they own, which licences they hold — computed record by
 * record from a fixed seed, so each department's seed writes its own part and the
 * references between departments (legal representatives, right holders, licence holders,
 * shareholders, credit subjects) agree without one department reading another's database.
 *
 * Glossary:
 * - person #i: the i-th resident; households are persons 3h, 3h+1, 3h+2 (3h is the head).
 * - legal entity #j: the j-th registered market entity; #0's legal representative is person #0.
 * - parcel #k: the k-th real-estate unit; parcel #0 belongs to person #0.
 * The first sample of each kind is chosen so that every cross-department link can be tried.
 */
import { makeCitizenId, makeCreditCode } from '../schema/identifiers.ts';
import { TOWNSHIPS, divisionByCode, divisionCentre, type Division } from './divisions.ts';
import { DEMO_SEED, permute, randomFor, type Random } from './random.ts';
import {
  BANKS, COMMENDATIONS, COMPANY_BRANDS, COMPANY_INDUSTRIES, ETHNICITIES, GIVEN_FEMALE, GIVEN_MALE,
  PENALTY_AUTHORITIES, PENALTY_REASONS, STREETS, STREET_SUFFIX, SURNAMES,
} from './names.ts';

export interface WorldSize {
  readonly persons: number;
  readonly legalEntities: number;
  readonly parcels: number;
}

/** Starts in seconds; `npm run seed -- --persons 1000000` builds a large world. */
export const DEMO_SIZE: WorldSize = { persons: 3000, legalEntities: 400, parcels: 1500 };

export type Gender = 'MALE' | 'FEMALE';
export type MaritalStatus = 'UNMARRIED' | 'MARRIED' | 'DIVORCED' | 'WIDOWED';

export interface PersonRecord {
  readonly index: number;
  readonly idNumber: string;
  readonly name: string;
  readonly gender: Gender;
  readonly birthDate: string;
  readonly ethnicity: string;
  readonly householdNo: string;
  readonly householdRelation: 'HEAD' | 'SPOUSE' | 'CHILD' | 'PARENT' | 'OTHER';
  readonly householdDivision: string;
  readonly householdAddress: string;
  readonly maritalStatus: MaritalStatus;
  /** A stand-in for a biometric template (not shared, PIPL art. 28). */
  readonly biometricTemplate: string;
  readonly deceased: boolean;
  readonly deathDate: string | null;
}

export interface HouseholdRecord {
  readonly householdNo: string;
  readonly division: string;
  readonly address: string;
  readonly headIndex: number;
  readonly memberIndexes: readonly number[];
}

export type LegalEntityKind = 'LIMITED_LIABILITY_COMPANY' | 'JOINT_STOCK_COMPANY' | 'SOLE_PROPRIETORSHIP' | 'PARTNERSHIP' | 'INDIVIDUAL_BUSINESS';
export type LegalEntityStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'CANCELLED';

export interface ShareholderRecord {
  readonly kind: 'PERSON' | 'LEGAL_ENTITY';
  /** idNumber or creditCode. */
  readonly key: string;
  readonly name: string;
  readonly subscribedCapital: number;
  readonly sharePercent: number;
}

export interface AnnualReportRecord {
  readonly year: number;
  readonly submittedDate: string;
  readonly employees: number;
  readonly operatingRevenue: number;
  readonly totalTax: number;
}

export interface LegalEntityRecord {
  readonly index: number;
  readonly creditCode: string;
  readonly name: string;
  readonly kind: LegalEntityKind;
  readonly status: LegalEntityStatus;
  /** In ten-thousand yuan (万元), as registered. */
  readonly registeredCapital: number;
  readonly establishedDate: string;
  readonly registeredDivision: string;
  readonly registeredAddress: string;
  readonly businessScope: string;
  readonly registrationAuthority: string;
  readonly legalRepresentativeIndex: number;
  readonly shareholders: readonly ShareholderRecord[];
  readonly annualReports: readonly AnnualReportRecord[];
}

export interface RightHoldingRecord {
  readonly holderKind: 'PERSON' | 'LEGAL_ENTITY';
  readonly holderKey: string;
  readonly holderName: string;
  readonly rightType: string;
  readonly sharePercent: number;
  readonly certificateNo: string;
  readonly registeredDate: string;
}

export interface MortgageRecord {
  readonly registrationNo: string;
  readonly mortgagee: string;
  readonly amount: number;
  readonly registeredDate: string;
  readonly termEnd: string;
  readonly status: 'ACTIVE' | 'RELEASED';
}

export interface ParcelRecord {
  readonly index: number;
  readonly unitNo: string;
  readonly division: string;
  readonly address: string;
  readonly landUse: string;
  /** Square metres. */
  readonly area: number;
  readonly geometry: { readonly type: 'Polygon'; readonly coordinates: number[][][] };
  readonly rightHolders: readonly RightHoldingRecord[];
  readonly mortgages: readonly MortgageRecord[];
}

export type LicenceKind = 'BUSINESS_LICENCE' | 'FOOD_OPERATION_PERMIT' | 'MARRIAGE_CERTIFICATE' | 'DRIVING_LICENCE';

export interface LicenceRecord {
  readonly licenceNo: string;
  readonly kind: LicenceKind;
  readonly name: string;
  readonly holderKind: 'PERSON' | 'LEGAL_ENTITY';
  readonly holderKey: string;
  readonly holderName: string;
  readonly issuer: string;
  readonly issuerCode: string;
  readonly issueDate: string;
  /** null: valid long-term (长期). */
  readonly validUntil: string | null;
  readonly revoked: boolean;
  /** Items printed on the licence, sealed into its electronic document (R12). */
  readonly particulars: Readonly<Record<string, string>>;
}

export interface PenaltyRecord {
  readonly decisionNo: string;
  readonly authority: string;
  readonly decisionDate: string;
  readonly reason: string;
  readonly kind: string;
  readonly amount: number;
}

export interface CreditRecord {
  readonly subjectKind: 'PERSON' | 'LEGAL_ENTITY';
  readonly subjectKey: string;
  readonly rating: 'A' | 'B' | 'C' | 'D' | null;
  readonly dishonest: boolean;
  readonly penalties: readonly PenaltyRecord[];
  readonly commendations: readonly { readonly title: string; readonly authority: string; readonly awardedDate: string }[];
  readonly updatedDate: string;
}

const DAY_MS = 86_400_000;
const BIRTH_START = Date.UTC(1950, 0, 1);
const BIRTH_DAYS = Math.round((Date.UTC(2008, 0, 1) - BIRTH_START) / DAY_MS);
/** Sequence numbers 1–999 give 499 per gender and day. */
const IDS_PER_DAY = 499;

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return isoDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}

/**
 * A driving licence number: 驾驶证 + the issuing city (GB/T 2260, 4 digits) + 10 digits. Real
 * numbers are the holder's citizen ID, which would put a person's identifier (and birth date)
 * in every place a licence number travels — logs, verification requests, the audit trail — so
 * the demo's are not: the serial is the person's index through a fixed permutation of
 * 0…10¹⁰−1 (multiplying by a number coprime to 10 is one-to-one), unique and not sequential.
 */
export function drivingLicenceNo(city: string, index: number): string {
  const serial = (BigInt(index) * 7_919_113n + 3_141_592_653n) % 10_000_000_000n;
  return `JSZ${city}${serial.toString().padStart(10, '0')}`;
}

function randomDate(r: Random, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear, 11, 31);
  return isoDate(from + Math.floor(r.next() * ((to - from) / DAY_MS)) * DAY_MS);
}

function streetAddress(r: Random, division: Division): string {
  return `${division.name}${r.pick(STREETS)}${r.pick(STREET_SUFFIX)}${r.int(1, 399)}号`;
}

export class DemoWorld {
  constructor(
    readonly size: WorldSize = DEMO_SIZE,
    readonly seed: number = DEMO_SEED,
  ) {
    if (size.persons < 10 || size.legalEntities < 5 || size.parcels < 5) {
      throw new RangeError(`the demo world needs at least 10 persons, 5 legal entities and 5 parcels, received ${JSON.stringify(size)}`);
    }
    if (size.persons > BIRTH_DAYS * IDS_PER_DAY) throw new RangeError(`at most ${BIRTH_DAYS * IDS_PER_DAY} persons`);
  }

  private rng(kind: string, index: number): Random {
    return randomFor(this.seed, kind, index);
  }

  get householdCount(): number {
    return Math.ceil(this.size.persons / 3);
  }

  household(h: number): HouseholdRecord {
    const r = this.rng('household', h);
    const division = r.pick(TOWNSHIPS);
    const members: number[] = [];
    for (let i = 3 * h; i < Math.min(3 * h + 3, this.size.persons); i++) members.push(i);
    return {
      householdNo: `${division.code.slice(0, 6)}${String(h).padStart(9, '0')}`,
      division: division.code,
      address: `${streetAddress(r, division)}${r.int(1, 30)}栋${r.int(1, 32)}0${r.int(1, 8)}房`,
      headIndex: 3 * h,
      memberIndexes: members,
    };
  }

  person(i: number): PersonRecord {
    this.check('person', i, this.size.persons);
    const r = this.rng('person', i);
    const household = this.household(Math.floor(i / 3));
    const gender: Gender = i === 0 ? 'MALE' : r.chance(0.5) ? 'MALE' : 'FEMALE';
    const p = permute(i, BIRTH_DAYS * IDS_PER_DAY, 7919, 116_920);
    const birthDate = isoDate(BIRTH_START + (p % BIRTH_DAYS) * DAY_MS);
    const half = Math.floor(p / BIRTH_DAYS);
    const sequence = gender === 'MALE' ? 2 * half + 1 : 2 * half + 2;
    const idNumber = makeCitizenId(household.division.slice(0, 6), birthDate, sequence);
    const surname = r.weighted(SURNAMES);
    const given = gender === 'MALE' ? GIVEN_MALE : GIVEN_FEMALE;
    const name = surname + r.pick(given) + (r.chance(0.7) ? r.pick(given) : '');
    const relation = i % 3 === 0 ? 'HEAD' : i % 3 === 1 ? r.pick(['SPOUSE', 'PARENT'] as const) : r.pick(['CHILD', 'OTHER'] as const);
    const drawn: MaritalStatus = i === 0 ? 'MARRIED' : r.weighted([['MARRIED', 60], ['UNMARRIED', 28], ['DIVORCED', 8], ['WIDOWED', 4]]);
    // Marriage age is 22 for men and 20 for women; the demo uses 22 for both.
    const maritalStatus: MaritalStatus = birthDate > '2004-06-30' ? 'UNMARRIED' : drawn;
    // Every 50th person (never #0, never a legal representative) has died.
    const deceased = i % 50 === 49;
    const template = Array.from({ length: 16 }, () => r.int(0, 255).toString(16).padStart(2, '0')).join('');
    return {
      index: i,
      idNumber,
      name,
      gender,
      birthDate,
      ethnicity: r.weighted(ETHNICITIES),
      householdNo: household.householdNo,
      householdRelation: relation,
      householdDivision: household.division,
      householdAddress: `广东省${divisionByCode(household.division.slice(0, 4) + '00')?.name ?? ''}${divisionByCode(household.division.slice(0, 6))?.name ?? ''}${household.address}`,
      maritalStatus,
      biometricTemplate: `FMR1:${template}`,
      deceased,
      deathDate: deceased ? randomDate(r, 2015, 2025) : null,
    };
  }

  /** A living person to be legal representative of entity #j (#0 for #0). */
  legalRepresentativeIndex(j: number): number {
    if (j === 0) return 0;
    let i = permute(j, this.size.persons, 7919, 17) ;
    if (i % 50 === 49) i = (i + 1) % this.size.persons;
    return i;
  }

  /**
   * What identifies entity #j — kind, place, code, name — and the generator positioned after
   * drawing them. Referring to another entity needs only this; computing the other entity in
   * full would recurse without end where shareholdings form a cycle.
   */
  private legalEntityHead(j: number) {
    this.check('legal entity', j, this.size.legalEntities);
    const r = this.rng('legal-entity', j);
    const kind: LegalEntityKind = j === 0 ? 'LIMITED_LIABILITY_COMPANY' : r.weighted([
      ['LIMITED_LIABILITY_COMPANY', 60], ['JOINT_STOCK_COMPANY', 6], ['SOLE_PROPRIETORSHIP', 6], ['PARTNERSHIP', 4], ['INDIVIDUAL_BUSINESS', 24],
    ]);
    const township = r.pick(TOWNSHIPS);
    const county = divisionByCode(township.code.slice(0, 6))!;
    const city = divisionByCode(township.code.slice(0, 4) + '00')!;
    const body = String(permute(j, 100_000_000, 48_271_013, 31_337)).padStart(8, '0');
    const creditCode = makeCreditCode('9', kind === 'INDIVIDUAL_BUSINESS' ? '2' : '1', county.code, body);
    const [industry, scope] = j === 0 ? COMPANY_INDUSTRIES[3]! : r.pick(COMPANY_INDUSTRIES);
    const brand = COMPANY_BRANDS[j % COMPANY_BRANDS.length]! + (j >= COMPANY_BRANDS.length ? COMPANY_BRANDS[Math.floor(j / COMPANY_BRANDS.length) % COMPANY_BRANDS.length]!.slice(0, 1) : '');
    const cityShort = city.name.replace('市', '');
    const suffix = {
      LIMITED_LIABILITY_COMPANY: '有限公司',
      JOINT_STOCK_COMPANY: '股份有限公司',
      SOLE_PROPRIETORSHIP: '个人独资企业',
      PARTNERSHIP: '合伙企业（有限合伙）',
      INDIVIDUAL_BUSINESS: '经营部',
    }[kind];
    const name = kind === 'INDIVIDUAL_BUSINESS'
      ? `${county.name}${brand}${industry}${suffix}`
      : `${cityShort}${brand}${industry}${j >= COMPANY_BRANDS.length * COMPANY_BRANDS.length ? j : ''}${suffix}`;
    return { r, kind, township, county, city, creditCode, scope, name };
  }

  legalEntity(j: number): LegalEntityRecord {
    const { r, kind, township, county, city, creditCode, scope, name } = this.legalEntityHead(j);
    const establishedDate = randomDate(r, 1998, 2025);
    const registeredCapital = kind === 'INDIVIDUAL_BUSINESS' ? r.int(1, 50) : r.pick([10, 50, 100, 200, 500, 1000, 3000, 5000]);
    const legalRepresentativeIndex = this.legalRepresentativeIndex(j);
    const shareholders: ShareholderRecord[] = [];
    if (kind === 'LIMITED_LIABILITY_COMPANY' || kind === 'JOINT_STOCK_COMPANY' || kind === 'PARTNERSHIP') {
      const count = j === 0 ? 3 : r.int(1, 4);
      let remaining = 100;
      for (let s = 0; s < count; s++) {
        const percent = s === count - 1 ? remaining : Math.max(1, Math.round(remaining * (0.3 + r.next() * 0.4)));
        remaining -= percent;
        const byEntity = s > 0 && j > 0 && r.chance(0.2);
        if (byEntity) {
          const other = this.legalEntityKey(r.int(0, this.size.legalEntities - 1));
          shareholders.push({ kind: 'LEGAL_ENTITY', key: other.creditCode, name: other.name, subscribedCapital: (registeredCapital * percent) / 100, sharePercent: percent });
        } else {
          const holder = this.person(s === 0 ? legalRepresentativeIndex : r.int(0, this.size.persons - 1));
          shareholders.push({ kind: 'PERSON', key: holder.idNumber, name: holder.name, subscribedCapital: (registeredCapital * percent) / 100, sharePercent: percent });
        }
      }
    }
    const annualReports: AnnualReportRecord[] = [];
    const firstYear = Math.max(Number(establishedDate.slice(0, 4)) + 1, 2022);
    for (let year = firstYear; year <= 2025; year++) {
      if (j !== 0 && r.chance(0.1)) continue;
      annualReports.push({
        year,
        submittedDate: `${year + 1}-0${r.int(1, 6)}-${String(r.int(1, 28)).padStart(2, '0')}`,
        employees: r.int(1, 300),
        operatingRevenue: r.int(10, 50_000),
        totalTax: r.int(0, 2_000),
      });
    }
    return {
      index: j,
      creditCode,
      name,
      kind,
      status: j === 0 ? 'ACTIVE' : r.weighted([['ACTIVE', 88], ['SUSPENDED', 2], ['REVOKED', 4], ['CANCELLED', 6]]),
      registeredCapital,
      establishedDate,
      registeredDivision: township.code,
      registeredAddress: `广东省${city.name}${county.name}${streetAddress(r, township)}`,
      businessScope: `一般项目：${scope}（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）`,
      registrationAuthority: `${city.name}市场监督管理局${county.name.replace(/区$/, '')}分局`,
      legalRepresentativeIndex,
      shareholders,
      annualReports,
    };
  }

  /** Just the code and name of entity #j: what another record needs to refer to it. */
  legalEntityKey(j: number): { creditCode: string; name: string } {
    const { creditCode, name } = this.legalEntityHead(j);
    return { creditCode, name };
  }

  parcel(k: number): ParcelRecord {
    this.check('parcel', k, this.size.parcels);
    const r = this.rng('parcel', k);
    const township = r.pick(TOWNSHIPS);
    const county = township.code.slice(0, 6);
    const unitNo = `${county}${township.code.slice(6)}${String(Math.floor(k / 100_000) + 1).padStart(3, '0')}GB${String(k % 100_000).padStart(5, '0')}F00010001`;
    const [cx, cy] = divisionCentre(township);
    const x = cx + (r.next() - 0.5) * 0.01;
    const y = cy + (r.next() - 0.5) * 0.05;
    const d = 0.0003 + r.next() * 0.0005;
    const round = (n: number) => Math.round(n * 1e7) / 1e7;
    const geometry = { type: 'Polygon' as const, coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]].map(([a, b]) => [round(a!), round(b!)])] };
    const landUse = r.weighted([['住宅用地', 70], ['商业服务业用地', 15], ['工业用地', 10], ['公共管理与公共服务用地', 5]] as const);
    const holders: RightHoldingRecord[] = [];
    const holderCount = k === 0 ? 1 : r.weighted([[1, 70], [2, 30]] as const);
    const registeredDate = randomDate(r, 2005, 2025);
    const certificateNo = `粤(${registeredDate.slice(0, 4)})${divisionByCode(county)?.name ?? ''}不动产权第${String(k + 1).padStart(7, '0')}号`;
    for (let h = 0; h < holderCount; h++) {
      const share = holderCount === 1 ? 100 : 50;
      if (k === 0 || landUse === '住宅用地' || r.chance(0.5)) {
        const person = this.person(k === 0 ? 0 : permute(k * 2 + h, this.size.persons, 7919, 3));
        holders.push({ holderKind: 'PERSON', holderKey: person.idNumber, holderName: person.name, rightType: '国有建设用地使用权/房屋所有权', sharePercent: share, certificateNo, registeredDate });
      } else {
        const entity = this.legalEntityKey(r.int(0, this.size.legalEntities - 1));
        holders.push({ holderKind: 'LEGAL_ENTITY', holderKey: entity.creditCode, holderName: entity.name, rightType: '国有建设用地使用权/房屋所有权', sharePercent: share, certificateNo, registeredDate });
      }
    }
    const mortgages: MortgageRecord[] = [];
    const mortgageCount = k === 0 ? 1 : r.weighted([[0, 60], [1, 35], [2, 5]] as const);
    for (let m = 0; m < mortgageCount; m++) {
      const date = addDays(registeredDate, r.int(30, 900));
      mortgages.push({
        registrationNo: `粤(${date.slice(0, 4)})${divisionByCode(county)?.name ?? ''}不动产证明第${String(k * 3 + m + 1).padStart(7, '0')}号`,
        mortgagee: r.pick(BANKS),
        amount: r.int(20, 800) * 10_000,
        registeredDate: date,
        termEnd: addDays(date, 365 * r.int(5, 30)),
        status: r.chance(0.8) ? 'ACTIVE' : 'RELEASED',
      });
    }
    return {
      index: k,
      unitNo,
      division: township.code,
      address: `广东省${streetAddress(r, township)}`,
      landUse,
      area: Math.round((landUse === '住宅用地' ? 60 + r.next() * 140 : 200 + r.next() * 5000) * 100) / 100,
      geometry,
      rightHolders: holders,
      mortgages,
    };
  }

  licencesOfEntity(j: number): LicenceRecord[] {
    const entity = this.legalEntity(j);
    const r = this.rng('entity-licences', j);
    const county = entity.registeredDivision.slice(0, 6);
    const issuerCode = `SAMR${county}`;
    const licences: LicenceRecord[] = [{
      licenceNo: `YZ${county}${String(j).padStart(8, '0')}`,
      kind: 'BUSINESS_LICENCE',
      name: '营业执照',
      holderKind: 'LEGAL_ENTITY',
      holderKey: entity.creditCode,
      holderName: entity.name,
      issuer: entity.registrationAuthority,
      issuerCode,
      issueDate: entity.establishedDate,
      validUntil: null,
      revoked: entity.status === 'REVOKED' || entity.status === 'CANCELLED',
      particulars: {
        统一社会信用代码: entity.creditCode,
        名称: entity.name,
        住所: entity.registeredAddress,
        注册资本: `${entity.registeredCapital}万元`,
        成立日期: entity.establishedDate,
      },
    }];
    if (j === 0 || (entity.businessScope.includes('食品') && r.chance(0.7))) {
      const issueDate = randomDate(r, 2021, 2025);
      licences.push({
        licenceNo: `JY1${county}${String(j).padStart(7, '0')}`,
        kind: 'FOOD_OPERATION_PERMIT',
        name: '食品经营许可证',
        holderKind: 'LEGAL_ENTITY',
        holderKey: entity.creditCode,
        holderName: entity.name,
        issuer: entity.registrationAuthority,
        issuerCode,
        issueDate,
        validUntil: j === 0 ? '2030-12-31' : addDays(issueDate, 365 * 5),
        revoked: false,
        particulars: { 经营者名称: entity.name, 统一社会信用代码: entity.creditCode, 经营项目: '预包装食品销售；热食类食品制售' },
      });
    }
    return licences;
  }

  licencesOfPerson(i: number): LicenceRecord[] {
    const person = this.person(i);
    const r = this.rng('person-licences', i);
    const county = person.householdDivision.slice(0, 6);
    const countyName = divisionByCode(county)?.name ?? '';
    const licences: LicenceRecord[] = [];
    if (person.maritalStatus === 'MARRIED') {
      const earliest = Date.parse(`${addDays(person.birthDate, 365 * 22)}T00:00:00Z`);
      const latest = Math.max(earliest, Date.UTC(2026, 5, 30));
      const issueDate = isoDate(earliest + Math.floor(r.next() * Math.min(latest - earliest, 15 * 365 * DAY_MS) / DAY_MS) * DAY_MS);
      licences.push({
        licenceNo: `J${county}-${issueDate.slice(0, 4)}-${String(i).padStart(7, '0')}`,
        kind: 'MARRIAGE_CERTIFICATE',
        name: '结婚证',
        holderKind: 'PERSON',
        holderKey: person.idNumber,
        holderName: person.name,
        issuer: `${countyName}民政局`,
        issuerCode: `MCA${county}`,
        issueDate,
        validUntil: null,
        revoked: false,
        particulars: { 持证人: person.name, 身份证件号: person.idNumber, 登记日期: issueDate },
      });
    }
    if (i === 0 || r.chance(0.4)) {
      const issueDate = randomDate(r, 2016, 2025);
      const licenceNo = drivingLicenceNo(county.slice(0, 4), i);
      licences.push({
        licenceNo,
        kind: 'DRIVING_LICENCE',
        name: '机动车驾驶证',
        holderKind: 'PERSON',
        holderKey: person.idNumber,
        holderName: person.name,
        issuer: `${divisionByCode(county.slice(0, 4) + '00')?.name ?? ''}公安局交通警察支队`,
        issuerCode: `PSB${county.slice(0, 4)}00`,
        issueDate,
        validUntil: i === 0 ? '2032-06-30' : addDays(issueDate, 365 * r.pick([6, 10])),
        revoked: false,
        particulars: { 姓名: person.name, 证号: licenceNo, 准驾车型: r.pick(['C1', 'C2', 'B2', 'A1']) },
      });
    }
    return licences;
  }

  creditOfEntity(j: number): CreditRecord {
    const entity = this.legalEntity(j);
    const r = this.rng('entity-credit', j);
    const penalties: PenaltyRecord[] = [];
    const penaltyCount = j === 0 ? 1 : r.weighted([[0, 80], [1, 15], [2, 5]] as const);
    for (let p = 0; p < penaltyCount; p++) penalties.push(this.penalty(r, `E${j}-${p}`, entity.registeredDivision));
    const dishonest = j !== 0 && r.chance(0.03);
    const commendations = r.chance(0.15)
      ? [{ title: r.pick(COMMENDATIONS), authority: '广东省人民政府', awardedDate: randomDate(r, 2019, 2025) }]
      : [];
    const rating = dishonest ? 'D' : penalties.length > 1 ? 'C' : penalties.length === 1 ? 'B' : 'A';
    return { subjectKind: 'LEGAL_ENTITY', subjectKey: entity.creditCode, rating, dishonest, penalties, commendations, updatedDate: randomDate(r, 2025, 2025) };
  }

  /** About one person in twenty has a public credit record; the rest have none (null). */
  creditOfPerson(i: number): CreditRecord | null {
    const r = this.rng('person-credit', i);
    if (i !== 0 && !r.chance(0.05)) return null;
    const person = this.person(i);
    const dishonest = i !== 0 && r.chance(0.3);
    const penalties = i !== 0 && r.chance(0.5) ? [this.penalty(r, `P${i}`, person.householdDivision)] : [];
    return { subjectKind: 'PERSON', subjectKey: person.idNumber, rating: null, dishonest, penalties, commendations: [], updatedDate: randomDate(r, 2024, 2025) };
  }

  private penalty(r: Random, serial: string, division: string): PenaltyRecord {
    const [reason, kind, amount] = r.pick(PENALTY_REASONS);
    const decisionDate = randomDate(r, 2020, 2025);
    const city = divisionByCode(division.slice(0, 4) + '00')?.name ?? '';
    return {
      decisionNo: `${city.replace('市', '')}罚决字〔${decisionDate.slice(0, 4)}〕${serial}号`,
      authority: city + r.pick(PENALTY_AUTHORITIES).replace(/^市/, ''),
      decisionDate,
      reason,
      kind,
      amount,
    };
  }

  private check(kind: string, index: number, size: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`${kind} #${index} is outside the demo world (0…${size - 1})`);
    }
  }

  /** The samples written to credentials.json; the first of each can try every link. */
  samples(): { persons: string[]; legalEntities: string[]; parcels: string[]; licences: string[] } {
    const personIndexes = [0, 1, 2, 3, 4].filter((i) => i < this.size.persons);
    const entityIndexes = [0, 1, 2, 3, 4].filter((j) => j < this.size.legalEntities);
    return {
      persons: personIndexes.map((i) => this.person(i).idNumber),
      legalEntities: entityIndexes.map((j) => this.legalEntity(j).creditCode),
      parcels: [0, 1, 2, 3, 4].map((k) => this.parcel(k).unitNo),
      // Kinds every department may see first (the first sample is the first person's driving
      // licence, linked to its holder); the marriage certificate, a row class, last.
      licences: [
        ...[...this.licencesOfPerson(0).filter((l) => l.kind !== 'MARRIAGE_CERTIFICATE'), ...this.licencesOfEntity(0), ...this.licencesOfEntity(1)].slice(0, 4),
        ...this.licencesOfPerson(0).filter((l) => l.kind === 'MARRIAGE_CERTIFICATE'),
      ].map((l) => l.licenceNo),
    };
  }
}
