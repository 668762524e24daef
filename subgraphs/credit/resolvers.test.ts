import { describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { DemoWorld } from '../../demo/world.ts';
import { makeCitizenId, makeCreditCode } from '../../schema/identifiers.ts';
import { useSubgraphForTest } from '../runtime/testing.ts';
import { population } from '../population/index.ts';
import { legalPerson } from '../legal-person/index.ts';
import { credit } from './index.ts';

const world = new DemoWorld({ persons: 300, legalEntities: 60, parcels: 120 });
const ENTITY_COUNT = world.size.legalEntities;
const UNKNOWN_CREDIT_CODE = makeCreditCode('9', '1', '440300', 'MA5UNKNW');
const UNKNOWN_ID_NUMBER = makeCitizenId('440106', '1900-01-01', 1);

const subgraph = useSubgraphForTest(credit, { world });

interface Response { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }

async function graphql(query: string, variables: Record<string, unknown> = {}): Promise<Response> {
  return (await subgraph().query(query, variables)).body as Response;
}

const statements = () => subgraph().statements();

const CREDIT = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on LegalEntity { creditCode credit { rating dishonest updatedDate penalties { decisionNo authority decisionDate reason kind amount } commendations { title authority awardedDate } } }
  ... on Person { idNumber credit { rating dishonest updatedDate penalties { decisionNo } commendations { title } } } } }`;

const entity = (creditCode: string) => ({ __typename: 'LegalEntity', creditCode });
const person = (idNumber: string) => ({ __typename: 'Person', idNumber });

describe('credit subgraph', () => {
  it("gives the sample entity's rating, penalty and commendations as recorded", async () => {
    const record = world.creditOfEntity(0);
    const { data, errors } = await graphql(CREDIT, { r: [entity(record.subjectKey)] });
    expect(errors).toBeUndefined();
    expect(data._entities[0].credit).toEqual({
      rating: record.rating,
      dishonest: record.dishonest,
      updatedDate: record.updatedDate,
      penalties: record.penalties.map((p) => ({ ...p })),
      commendations: [...record.commendations],
    });
    expect(data._entities[0].credit.penalties.length).toBeGreaterThan(0);
  });

  it('lists commendations where an entity has them', async () => {
    const j = Array.from({ length: ENTITY_COUNT }, (_, j) => j).find((j) => world.creditOfEntity(j).commendations.length > 0);
    expect(j, 'the small world has a commended entity').toBeDefined();
    const record = world.creditOfEntity(j!);
    const { data } = await graphql(CREDIT, { r: [entity(record.subjectKey)] });
    expect(data._entities[0].credit.commendations).toEqual([...record.commendations]);
  });

  it('gives a person with a record no rating, and null credit to subjects without a record', async () => {
    const withoutRecord = Array.from({ length: 300 }, (_, i) => i).find((i) => world.creditOfPerson(i) === null)!;
    const { data, errors } = await graphql(CREDIT, {
      r: [person(world.person(0).idNumber), person(world.person(withoutRecord).idNumber), person(UNKNOWN_ID_NUMBER), entity(UNKNOWN_CREDIT_CODE)],
    });
    expect(errors).toBeUndefined();
    const record = world.creditOfPerson(0)!;
    expect(data._entities[0]).toEqual({
      idNumber: record.subjectKey,
      credit: { rating: null, dishonest: record.dishonest, updatedDate: record.updatedDate, penalties: [], commendations: [] },
    });
    expect(data._entities.slice(1).map((e: { credit: unknown }) => e.credit)).toEqual([null, null, null]);
  });

  it('rejects a malformed key as BAD_USER_INPUT', async () => {
    const { data, errors } = await graphql(CREDIT, { r: [person('44010619800213011'), entity(world.creditOfEntity(1).subjectKey)] });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toContain('44010619800213011');
    expect(data._entities[0]).toBeNull();
    expect(data._entities[1].credit).not.toBeNull();
  });

  it('reads 100 entities and 100 persons with one statement per table', async () => {
    const r = [
      ...Array.from({ length: 100 }, (_, n) => entity(world.legalEntity(n % ENTITY_COUNT).creditCode)),
      ...Array.from({ length: 100 }, (_, i) => person(world.person(i).idNumber)),
    ];
    let before = await statements();
    const profiles = await graphql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on LegalEntity { credit { rating } } ... on Person { credit { dishonest } } } }`, { r });
    expect(profiles.errors).toBeUndefined();
    expect(await statements() - before).toBe(1);
    before = await statements();
    const full = await graphql(CREDIT, { r });
    expect(full.errors).toBeUndefined();
    expect(await statements() - before).toBe(3);
    const personsWithRecord = Array.from({ length: 100 }, (_, i) => world.creditOfPerson(i)).filter((c) => c !== null).length;
    expect(full.data._entities.slice(100).filter((e: { credit: unknown }) => e.credit !== null)).toHaveLength(personsWithRecord);
  });

  it('composes with population and legal-person', () => {
    const result = composeServices([
      { name: 'population', typeDefs: population.typeDefs },
      { name: 'legal-person', typeDefs: legalPerson.typeDefs },
      { name: 'credit', typeDefs: credit.typeDefs },
    ]);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
  });
});

describe('credit subgraph: freshness', () => {
  it('reports when each of its resources last changed, to the gateway only', async () => {
    const url = subgraph().url.replace(/\/graphql$/, '/freshness');
    expect((await fetch(url)).status).toBe(401);
    const body = (await (await fetch(url, { headers: await subgraph().contextHeaders() })).json()) as { resources: Record<string, string> };
    expect(Object.keys(body.resources)).toEqual(['CreditProfile']);
    for (const changed of Object.values(body.resources)) expect(Date.now() - Date.parse(changed)).toBeLessThan(10 * 60_000);
  });
});
