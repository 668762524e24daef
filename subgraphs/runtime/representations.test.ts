import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { DemoWorld } from '../../demo/world.ts';
import { useSubgraphForTest } from './testing.ts';
import { entityKeys, representationProblem } from './representations.ts';
import { population } from '../population/index.ts';
import { geography } from '../geography/index.ts';

const world = new DemoWorld({ persons: 50, legalEntities: 10, parcels: 20 });

describe('entity keys from the SDL', () => {
  it('reads resolvable keys, several per type, and skips resolvable: false', () => {
    const keys = entityKeys(parse(`
      type A @key(fields: "id") @key(fields: "code region { id }") { id: ID! code: ID! region: R }
      type B @key(fields: "id", resolvable: false) { id: ID! }
      type R { id: ID! }
    `));
    expect([...keys]).toEqual([['A', [[{ name: 'id', nested: false }], [{ name: 'code', nested: false }, { name: 'region', nested: true }]]]]);
    expect(representationProblem('A', keys.get('A')!, { code: 'x', region: { id: '1' } })).toBeNull();
    expect(representationProblem('A', keys.get('A')!, { code: 'x' })).toMatch(/A carries its key id or code \+ region/);
  });
});

describe.each([
  ['population', population, 'Person'],
  ['geography', geography, 'Parcel'],
] as const)('_entities representations posted straight to the %s subgraph', (_name, definition, typename) => {
  const subgraph = useSubgraphForTest(definition, { world });
  const key = typename === 'Person' ? 'idNumber' : 'unitNo';
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${key} } } }`;

  it.each([
    ['a null key', { [key]: null }],
    ['no key', {}],
    ['an empty key', { [key]: ' ' }],
    ['a number', { [key]: 42 }],
    ['a list', { [key]: ['a'] }],
    ['an object', { [key]: { a: 1 } }],
  ])('answers BAD_USER_INPUT, not an incident, for %s', async (_case, fields) => {
    const { status, body } = await subgraph().query(ENTITIES, { r: [{ __typename: typename, ...fields }] });
    expect(status).toBe(200);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(new RegExp(`representation of ${typename} carries its key ${key}`));
    expect(body.errors[0].extensions.incident).toBeUndefined();
  });

  it('still resolves a well-formed representation beside a malformed one', async () => {
    const value = typename === 'Person' ? world.person(0).idNumber : world.samples().parcels[0]!;
    const { body } = await subgraph().query(ENTITIES, { r: [{ __typename: typename, [key]: value }, { __typename: typename, [key]: null }] });
    expect(body.data._entities[0]).not.toBeNull();
    expect(body.data._entities[1]).toBeNull();
    expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
  });
});
