import { describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { DemoWorld } from '../../demo/world.ts';
import { makeCitizenId, makeCreditCode } from '../../schema/identifiers.ts';
import { useSubgraphForTest } from '../runtime/testing.ts';
import { population } from '../population/index.ts';
import { legalPerson } from './index.ts';

const world = new DemoWorld({ persons: 300, legalEntities: 60, parcels: 120 });
const ENTITY_COUNT = world.size.legalEntities;
/** Letters never occur in the demo world's organization codes, so this code is valid but unknown. */
const UNKNOWN_CREDIT_CODE = makeCreditCode('9', '1', '440300', 'MA5UNKNW');
/** Born before the demo world's first birth date. */
const UNKNOWN_ID_NUMBER = makeCitizenId('440106', '1900-01-01', 1);

const subgraph = useSubgraphForTest(legalPerson, { world });

interface Response { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }

async function graphql(query: string, variables: Record<string, unknown> = {}): Promise<Response> {
  return (await subgraph().query(query, variables)).body as Response;
}

const statements = () => subgraph().statements();

/** Statements the query cost. */
async function cost(query: string, variables: Record<string, unknown> = {}): Promise<{ response: Response; statements: number }> {
  const before = await statements();
  const response = await graphql(query, variables);
  return { response, statements: (await statements()) - before };
}

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on LegalEntity { creditCode name } } }`;

describe('legal-person subgraph', () => {
  it('reads a sample entity with the values market supervision registered', async () => {
    const e = world.legalEntity(0);
    const { data, errors } = await graphql(`query($c: ID!) { legalEntity(creditCode: $c) {
      creditCode name kind status registeredCapital establishedDate registeredAddress registeredDivision { code }
      businessScope registrationAuthority legalRepresentative { idNumber }
      shareholders { name kind person { idNumber } legalEntity { creditCode } subscribedCapital sharePercent }
      annualReports { year submittedDate employees operatingRevenue totalTax } } }`, { c: e.creditCode });
    expect(errors).toBeUndefined();
    expect(data.legalEntity).toMatchObject({
      creditCode: e.creditCode,
      name: e.name,
      kind: e.kind,
      status: e.status,
      registeredCapital: e.registeredCapital,
      establishedDate: e.establishedDate,
      registeredAddress: e.registeredAddress,
      registeredDivision: { code: e.registeredDivision },
      businessScope: e.businessScope,
      registrationAuthority: e.registrationAuthority,
      legalRepresentative: { idNumber: world.person(0).idNumber },
    });
    expect(data.legalEntity.shareholders).toEqual(e.shareholders.map((s) => ({
      name: s.name,
      kind: s.kind,
      person: s.kind === 'PERSON' ? { idNumber: s.key } : null,
      legalEntity: s.kind === 'LEGAL_ENTITY' ? { creditCode: s.key } : null,
      subscribedCapital: s.subscribedCapital,
      sharePercent: s.sharePercent,
    })));
    expect(data.legalEntity.annualReports).toEqual(e.annualReports.map((a) => ({ ...a })));
  });

  it('answers null, without an error, for a valid code nobody is registered under', async () => {
    const { data, errors } = await graphql(`query($c: ID!) { legalEntity(creditCode: $c) { name } }`, { c: UNKNOWN_CREDIT_CODE });
    expect(errors).toBeUndefined();
    expect(data.legalEntity).toBeNull();
  });

  it('rejects a malformed or mistyped credit code as BAD_USER_INPUT', async () => {
    const e = world.legalEntity(1);
    const typo = e.creditCode.slice(0, 17) + (e.creditCode[17] === '0' ? '1' : '0');
    for (const code of ['91440300ABC', typo]) {
      const { errors } = await graphql(`query($c: ID!) { legalEntity(creditCode: $c) { name } }`, { c: code });
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message).toContain(code);
    }
    // One malformed representation nulls its own entry; the others still resolve.
    const { data, errors } = await graphql(ENTITIES, { r: [{ __typename: 'LegalEntity', creditCode: typo }, { __typename: 'LegalEntity', creditCode: e.creditCode }] });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(data._entities).toEqual([null, { creditCode: e.creditCode, name: e.name }]);
  });

  it('answers legalEntities in the order asked, null where unknown, and refuses more than 100 codes', async () => {
    const codes = [world.legalEntity(2).creditCode, UNKNOWN_CREDIT_CODE, world.legalEntity(1).creditCode];
    const { data } = await graphql(`query($c: [ID!]!) { legalEntities(creditCodes: $c) { creditCode } }`, { c: codes });
    expect(data.legalEntities).toEqual([{ creditCode: codes[0] }, null, { creditCode: codes[2] }]);
    const tooMany = Array.from({ length: 101 }, () => codes[0]);
    const { errors } = await graphql(`query($c: [ID!]!) { legalEntities(creditCodes: $c) { creditCode } }`, { c: tooMany });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toContain('at most 100');
  });

  it('resolves 100 entity representations with one SQL statement, and their children with one each', async () => {
    const r = Array.from({ length: ENTITY_COUNT }, (_, j) => ({ __typename: 'LegalEntity', creditCode: world.legalEntity(j).creditCode }));
    r.push(...Array.from({ length: 100 - ENTITY_COUNT }, (_, j) => ({ __typename: 'LegalEntity', creditCode: world.legalEntity(j).creditCode })));
    const plain = await cost(ENTITIES, { r });
    expect(plain.response.errors).toBeUndefined();
    expect(plain.response.data._entities).toHaveLength(100);
    expect(plain.statements).toBe(1);
    const withChildren = await cost(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on LegalEntity { shareholders { name } annualReports { year } } } }`,
      { r },
    );
    expect(withChildren.statements).toBe(3);
  });

  it('links shareholders to persons and legal entities by key', async () => {
    const j = Array.from({ length: ENTITY_COUNT }, (_, j) => j).find((j) => world.legalEntity(j).shareholders.some((s) => s.kind === 'LEGAL_ENTITY'));
    expect(j, 'the small world has an entity held by another entity').toBeDefined();
    const e = world.legalEntity(j!);
    const held = e.shareholders.find((s) => s.kind === 'LEGAL_ENTITY')!;
    const { data } = await graphql(`query($c: ID!) { legalEntity(creditCode: $c) { shareholders { kind legalEntity { creditCode name } } } }`, { c: e.creditCode });
    expect(data.legalEntity.shareholders).toContainEqual({ kind: 'LEGAL_ENTITY', legalEntity: { creditCode: held.key, name: held.name } });
  });

  it('gives the entities a person represents, batched, and none for an unknown person, without reading persons', async () => {
    const representatives = Array.from({ length: 100 }, (_, j) => world.person(world.legalRepresentativeIndex(j % ENTITY_COUNT)).idNumber);
    const r = [...representatives, UNKNOWN_ID_NUMBER].map((idNumber) => ({ __typename: 'Person', idNumber }));
    const { response, statements } = await cost(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { idNumber legalRepresentativeOf { creditCode } } } }`,
      { r },
    );
    expect(statements).toBe(1);
    const first = response.data._entities[0];
    expect(first.idNumber).toBe(world.person(0).idNumber);
    expect(first.legalRepresentativeOf).toContainEqual({ creditCode: world.legalEntity(0).creditCode });
    expect(response.data._entities[100]).toEqual({ idNumber: UNKNOWN_ID_NUMBER, legalRepresentativeOf: [] });
    const keysOnly = await cost(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { idNumber } } }`, { r });
    expect(keysOnly.statements).toBe(0);
  });

  it('does not seed twice when started again on the same database', async () => {
    expect(await legalPerson.isSeeded(subgraph().database.db)).toBe(true);
    const rows = await subgraph().database.db.selectFrom('legal_entities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(ENTITY_COUNT);
  });

  it('composes with population', () => {
    const result = composeServices([
      { name: 'population', typeDefs: population.typeDefs },
      { name: 'legal-person', typeDefs: legalPerson.typeDefs },
    ]);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
  });
});

describe('legal-person subgraph: verification (核验, R7)', () => {
  const VERIFY = `query($c: ID!, $n: String!) { verifyLegalEntity(creditCode: $c, name: $n) { creditCodeValid nameMatches active } }`;
  const asVerifier = { consumer: 'tax', purpose: 'DATA_VERIFICATION' };
  const entities = Array.from({ length: ENTITY_COUNT }, (_, j) => world.legalEntity(j));

  it('answers yes for the registered name, and whether the entity is active only then', async () => {
    const active = entities.find((e) => e.status === 'ACTIVE')!;
    expect((await subgraph().query(VERIFY, { c: active.creditCode, n: active.name }, asVerifier)).body).toEqual({ data: { verifyLegalEntity: { creditCodeValid: true, nameMatches: true, active: true } } });
    const closed = entities.find((e) => e.status !== 'ACTIVE');
    if (closed) expect((await subgraph().query(VERIFY, { c: closed.creditCode, n: closed.name }, asVerifier)).body.data.verifyLegalEntity).toEqual({ creditCodeValid: true, nameMatches: true, active: false });
  });

  it('compares names in their full-width and half-width forms alike', async () => {
    const entity = entities[0]!;
    const halfWidth = entity.name.normalize('NFKC').replace(/\(/g, '（').replace(/\)/g, '）');
    expect((await subgraph().query(VERIFY, { c: entity.creditCode, n: ` ${halfWidth} ` }, asVerifier)).body.data.verifyLegalEntity.nameMatches).toBe(true);
  });

  it('answers false on a mismatch, never the registered name, and no for unknown or malformed codes', async () => {
    const entity = entities[0]!;
    const { body } = await subgraph().query(VERIFY, { c: entity.creditCode, n: '某某贸易有限公司' }, asVerifier);
    expect(body.data.verifyLegalEntity).toEqual({ creditCodeValid: true, nameMatches: false, active: null });
    expect(JSON.stringify(body)).not.toContain(entity.name);
    for (const c of [UNKNOWN_CREDIT_CODE, '91440300MA5UNKNW0', 'x']) {
      expect((await subgraph().query(VERIFY, { c, n: entity.name }, asVerifier)).body).toEqual({ data: { verifyLegalEntity: { creditCodeValid: false, nameMatches: false, active: null } } });
    }
  });

  it('answers only a DATA_VERIFICATION caller', async () => {
    const entity = entities[0]!;
    const { body } = await subgraph().query(VERIFY, { c: entity.creditCode, n: entity.name }, { consumer: 'tax', purpose: 'ADMINISTRATIVE_BASIS' });
    expect(body.data.verifyLegalEntity).toEqual({ creditCodeValid: null, nameMatches: null, active: null });
    expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
  });
});

describe('legal-person subgraph: freshness', () => {
  it('reports when the register last changed, to the gateway only', async () => {
    const url = subgraph().url.replace(/\/graphql$/, '/freshness');
    expect((await fetch(url)).status).toBe(401);
    const body = (await (await fetch(url, { headers: await subgraph().contextHeaders() })).json()) as { resources: Record<string, string> };
    expect(Object.keys(body.resources)).toEqual(['LegalEntity']);
    expect(Date.now() - Date.parse(body.resources.LegalEntity!)).toBeLessThan(10 * 60_000);
  });
});
