import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { DemoWorld } from '../../demo/world.ts';
import { makeCreditCode } from '../../schema/identifiers.ts';
import { fieldsUnderPolicy } from '../../policies/fieldsUnderPolicy.ts';
import { startSubgraphForTest, useSubgraphForTest } from '../runtime/testing.ts';
import { SUBGRAPHS } from '../index.ts';
import { licenceStatus } from '../licences/resolvers.ts';
import { todayInChina, threeYearsBefore, type ProfileInputs } from './enterpriseProfile.ts';
import { enterpriseProfile } from './index.ts';

const world = new DemoWorld({ persons: 300, legalEntities: 60, parcels: 120 });
const ENTITY_COUNT = world.size.legalEntities;
/** Letters never occur in the demo world's organization codes, so this code is valid but unknown (and under no focus). */
const UNKNOWN_CREDIT_CODE = makeCreditCode('9', '1', '440300', 'MA5UNKNW');

const logged: string[] = [];
const subgraph = useSubgraphForTest(enterpriseProfile, { world, log: (line) => logged.push(line) });

interface Response { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }

/** Called as the tax department would be through the gateway: a consumer, not the provider. */
async function graphql(query: string, variables: Record<string, unknown> = {}): Promise<Response> {
  const { status, body } = await subgraph().query(query, variables, { consumer: 'tax', purpose: 'WORK_REFERENCE' });
  expect(status).toBe(200);
  return body as Response;
}

const statements = () => subgraph().statements();

const PROFILE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on LegalEntity { profile {
  validLicenceCount licenceCount creditRating realEstateCount penaltyCountLast3Years
  riskFlags { code description source level } riskLevel supervisionFocus generatedAt } } } }`;

const today = () => todayInChina(new Date());
const daysFromToday = (days: number) => new Date(Date.parse(`${today()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Entity #j as the gateway represents it: the key and the @requires selection, fetched from the owners. */
function representationOf(j: number): ProfileInputs & { __typename: 'LegalEntity' } {
  const entity = world.legalEntity(j);
  const credit = world.creditOfEntity(j);
  const realEstate: { unitNo: string }[] = [];
  for (let k = 0; k < world.size.parcels; k++) {
    const parcel = world.parcel(k);
    if (parcel.rightHolders.some((h) => h.holderKey === entity.creditCode)) realEstate.push({ unitNo: parcel.unitNo });
  }
  return {
    __typename: 'LegalEntity',
    creditCode: entity.creditCode,
    status: entity.status,
    credit: { rating: credit.rating, dishonest: credit.dishonest, penalties: credit.penalties.map((p) => ({ decisionDate: p.decisionDate })) },
    licences: world.licencesOfEntity(j).map((l) => ({ status: licenceStatus(l), validUntil: l.validUntil })),
    realEstate,
  };
}

/** A representation made up for a rule: an active entity with one long-term valid licence and a clean record. */
function made(overrides: Partial<ProfileInputs> = {}): ProfileInputs & { __typename: 'LegalEntity' } {
  return {
    __typename: 'LegalEntity',
    creditCode: UNKNOWN_CREDIT_CODE,
    status: 'ACTIVE',
    credit: { rating: 'A', dishonest: false, penalties: [] },
    licences: [{ status: 'VALID', validUntil: null }],
    realEstate: [],
    ...overrides,
  };
}

const codes = (profile: { riskFlags: { code: string }[] }) => profile.riskFlags.map((f) => f.code);

describe('enterprise-profile subgraph', () => {
  it("builds the sample entity's profile from the departments' data and market supervision's focus note", async () => {
    const before = Date.now();
    const { data, errors } = await graphql(PROFILE, { r: [representationOf(0)] });
    expect(errors).toBeUndefined();
    const profile = data._entities[0].profile;
    const record = world.creditOfEntity(0);
    expect(profile).toMatchObject({
      // The business licence (long-term) and the food operation permit (to 2030-12-31).
      validLicenceCount: 2,
      licenceCount: 2,
      creditRating: record.rating,
      realEstateCount: representationOf(0).realEstate!.length,
      penaltyCountLast3Years: record.penalties.filter((p) => p.decisionDate > threeYearsBefore(today())).length,
      supervisionFocus: expect.stringContaining('食品经营重点监管'),
    });
    expect(profile.realEstateCount).toBeGreaterThan(0);
    expect(profile.riskFlags).toContainEqual({ code: 'SUPERVISION_FOCUS', description: '列入市场监管重点监管对象', source: 'samr', level: 'MEDIUM' });
    // Active, not dishonest: the focus (and a recent penalty, if any) make it MEDIUM.
    expect(profile.riskLevel).toBe('MEDIUM');
    expect(Date.parse(profile.generatedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('raises each rule from the department whose data shows it, most severe first, and takes the highest level', async () => {
    const { data, errors } = await graphql(PROFILE, { r: [made({
      status: 'REVOKED',
      credit: { rating: 'D', dishonest: true, penalties: [{ decisionDate: daysFromToday(-30) }, { decisionDate: '2019-01-01' }] },
      licences: [{ status: 'REVOKED', validUntil: null }, { status: 'EXPIRED', validUntil: daysFromToday(-1) }],
    })] });
    expect(errors).toBeUndefined();
    const profile = data._entities[0].profile;
    expect(profile.riskFlags.map((f: { code: string; source: string; level: string }) => [f.code, f.source, f.level])).toEqual([
      ['ENTITY_NOT_ACTIVE', 'samr', 'HIGH'],
      ['DISHONEST_LIST', 'ndrc', 'HIGH'],
      ['RECENT_PENALTY', 'ndrc', 'MEDIUM'],
      ['NO_VALID_LICENCE', 'gsa', 'MEDIUM'],
    ]);
    expect(profile).toMatchObject({ riskLevel: 'HIGH', creditRating: 'D', penaltyCountLast3Years: 1, validLicenceCount: 0, licenceCount: 2, realEstateCount: 0, supervisionFocus: null });
  });

  it('counts penalties inside three years only, and warns of a valid licence about to expire', async () => {
    const { data } = await graphql(PROFILE, { r: [
      made({ credit: { rating: 'B', dishonest: false, penalties: [{ decisionDate: threeYearsBefore(today()) }] } }),
      made({ credit: { rating: 'B', dishonest: false, penalties: [{ decisionDate: daysFromToday(-3 * 365 + 5) }] } }),
      made({ licences: [{ status: 'VALID', validUntil: daysFromToday(30) }, { status: 'VALID', validUntil: null }] }),
      made(),
    ] });
    const [windowEdge, inside, expiring, clean] = data._entities.map((e: { profile: unknown }) => e.profile);
    expect([windowEdge.penaltyCountLast3Years, codes(windowEdge), windowEdge.riskLevel]).toEqual([0, [], 'LOW']);
    expect([inside.penaltyCountLast3Years, codes(inside), inside.riskLevel]).toEqual([1, ['RECENT_PENALTY'], 'MEDIUM']);
    expect([expiring.validLicenceCount, codes(expiring), expiring.riskLevel]).toEqual([2, ['LICENCE_EXPIRING'], 'LOW']);
    expect(clean).toMatchObject({ riskFlags: [], riskLevel: 'LOW', supervisionFocus: null });
  });

  it('says null for what it cannot count, raises nothing over missing data, and gives no profile without a registration status', async () => {
    const { data, errors } = await graphql(PROFILE, { r: [
      made({ credit: null, licences: null, realEstate: null }),
      made({ status: null }),
      { __typename: 'LegalEntity', creditCode: world.legalEntity(0).creditCode },
    ] });
    expect(errors).toBeUndefined();
    expect(data._entities[0].profile).toMatchObject({
      validLicenceCount: null, licenceCount: null, creditRating: null, realEstateCount: null, penaltyCountLast3Years: null, riskFlags: [], riskLevel: 'LOW',
    });
    expect(data._entities[1].profile).toBeNull();
    expect(data._entities[2].profile).toBeNull();
  });

  it('rejects a malformed credit code as BAD_USER_INPUT, and still answers the other representations', async () => {
    const e = world.legalEntity(1);
    const typo = e.creditCode.slice(0, 17) + (e.creditCode[17] === '0' ? '1' : '0');
    const { data, errors } = await graphql(PROFILE, { r: [{ ...representationOf(1), creditCode: typo }, representationOf(1)] });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toContain(typo);
    expect(data._entities[0]).toBeNull();
    expect(data._entities[1].profile.licenceCount).toBe(world.licencesOfEntity(1).length);
  });

  it('builds 100 profiles with two SQL statements: the rules once, the focus records in one batch', async () => {
    const r = Array.from({ length: 100 }, (_, n) => representationOf(n % ENTITY_COUNT));
    let before = await statements();
    const { data, errors } = await graphql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on LegalEntity { profile { riskLevel supervisionFocus } } } }`, { r });
    expect(errors).toBeUndefined();
    expect(await statements() - before).toBe(2);
    expect(data._entities.filter((e: { profile: { supervisionFocus: string | null } }) => e.profile.supervisionFocus !== null).length).toBeGreaterThan(0);
    before = await statements();
    await graphql(PROFILE, { r: [representationOf(0)] });
    expect(await statements() - before).toBe(2);
  });

  it("applies market supervision's edits to its own tables from the next request on", async () => {
    const db = subgraph().database.db;
    await db.insertInto('supervision_focus').values({ credit_code: UNKNOWN_CREDIT_CODE, level: 'HIGH', note: '投诉举报集中', decided_by: '测试分局', decided_date: '2026-01-01' }).execute();
    await db.updateTable('risk_rules').set({ enabled: 0 }).where('code', '=', 'NO_VALID_LICENCE').execute();
    try {
      const { data } = await graphql(PROFILE, { r: [made({ licences: [] })] });
      expect(data._entities[0].profile).toMatchObject({
        riskFlags: [{ code: 'SUPERVISION_FOCUS', source: 'samr', level: 'HIGH' }],
        riskLevel: 'HIGH',
        supervisionFocus: '投诉举报集中',
      });
    } finally {
      await db.deleteFrom('supervision_focus').where('credit_code', '=', UNKNOWN_CREDIT_CODE).execute();
      await db.updateTable('risk_rules').set({ enabled: 1 }).where('code', '=', 'NO_VALID_LICENCE').execute();
    }
  });

  it('refuses to judge by an enabled rule it cannot evaluate, naming the rule to the operators', async () => {
    const db = subgraph().database.db;
    await db.insertInto('risk_rules').values({ code: 'TAX_ARREARS', position: 9, description: '欠税', source: 'tax', severity: 'HIGH', window_days: null, enabled: 1 }).execute();
    try {
      const { data, errors } = await graphql(PROFILE, { r: [made()] });
      expect(data._entities[0].profile).toBeNull();
      // The consumer cannot fix the department's rule table: it gets an incident id, the log the rule.
      const incident = (errors?.[0]?.extensions as { incident?: string } | undefined)?.incident;
      expect(errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(logged.find((line) => line.includes(incident!))).toMatch(/risk rule TAX_ARREARS is enabled but the profile cannot evaluate it/);
    } finally {
      await db.deleteFrom('risk_rules').where('code', '=', 'TAX_ARREARS').execute();
    }
  });

  it('seeds the same focus records on every database, entity #0 among them, and knows it is seeded', async () => {
    expect(await enterpriseProfile.isSeeded(subgraph().database.db)).toBe(true);
    const rows = await subgraph().database.db.selectFrom('supervision_focus').select(['credit_code', 'level']).execute();
    expect(rows).toContainEqual({ credit_code: world.legalEntity(0).creditCode, level: 'MEDIUM' });
    const again = mkdtempSync(join(tmpdir(), 'enterprise-profile-again-'));
    try {
      const other = await startSubgraphForTest(enterpriseProfile, { storage: { kind: 'sqlite', dataDir: again }, world });
      const otherRows = await other.database.db.selectFrom('supervision_focus').select(['credit_code', 'level']).execute();
      await other.close();
      expect(otherRows).toEqual(rows);
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  it('composes with all five base subgraphs without errors or hints', () => {
    const result = composeServices([
      ...SUBGRAPHS.filter((s) => s.name !== enterpriseProfile.name).map((s) => ({ name: s.name, typeDefs: s.typeDefs })),
      { name: enterpriseProfile.name, typeDefs: enterpriseProfile.typeDefs },
    ]);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    expect(result.hints?.map((h) => h.message) ?? []).toEqual([]);
  });

  it('puts only its own fields in the catalogue, never the @external fields it requires', () => {
    const fields = fieldsUnderPolicy([enterpriseProfile]);
    const coordinates = fields.map((f) => f.coordinate);
    expect(coordinates).toContain('LegalEntity.profile');
    expect(coordinates).toContain('EnterpriseProfile.riskLevel');
    expect(coordinates).toContain('RiskFlag.source');
    for (const external of ['LegalEntity.status', 'LegalEntity.credit', 'LegalEntity.licences', 'LegalEntity.realEstate', 'CreditProfile.rating', 'AdministrativePenalty.decisionDate', 'Licence.status']) {
      expect(coordinates).not.toContain(external);
    }
    for (const field of fields.filter((f) => !f.isKey)) {
      expect(field.sharing?.sharingClass, field.coordinate).toBe('UNCONDITIONAL');
      expect(field.department).toBe('samr');
    }
  });
});

describe('enterprise-profile subgraph: freshness', () => {
  it('reports when each of its resources last changed, to the gateway only', async () => {
    const url = subgraph().url.replace(/\/graphql$/, '/freshness');
    expect((await fetch(url)).status).toBe(401);
    const body = (await (await fetch(url, { headers: await subgraph().contextHeaders() })).json()) as { resources: Record<string, string> };
    expect(Object.keys(body.resources)).toEqual(['EnterpriseProfile']);
    for (const changed of Object.values(body.resources)) expect(Date.now() - Date.parse(changed)).toBeLessThan(10 * 60_000);
  });
});
