/**
 * The subgraph's enforcement point on its own: the rule tree compiled for a small schema, and
 * graphql-shield's middleware over it (graphql-middleware + graphql-js, no server), under a
 * data context, a registry (`sdl`) context and none.
 */
import { describe, expect, it } from 'vitest';
import { execute, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { applyMiddleware } from 'graphql-middleware';
import { allow } from 'graphql-shield';
import type { Caller, Decision, FieldPolicy } from './model.ts';
import { buildShieldRuleTree, sharingShield, type RowAttributes, type SharingRequestContext } from './shieldRules.ts';
import { PolicySnapshot } from './snapshot.ts';

const SDL = `
  type Query { person(id: ID!): Person people: [Person] _service: _Service }
  type _Service { sdl: String }
  type Person { id: ID! name: String householdAddress: String householdDivision: String biometricTemplate: String }
`;
const persons = [
  { id: 'p1', name: 'Ann', householdAddress: '1 Road, Yuexiu', householdDivision: '440104', biometricTemplate: 'b1' },
  { id: 'p2', name: 'Bob', householdAddress: '2 Road, Haizhu', householdDivision: '440105', biometricTemplate: 'b2' },
];
const resolvers = {
  Query: {
    person: (_: unknown, { id }: { id: string }) => persons.find((p) => p.id === id) ?? null,
    people: () => persons,
    _service: () => ({ sdl: SDL }),
  },
};
const base = makeExecutableSchema({ typeDefs: SDL, resolvers });

const policy = (coordinate: string, sharingClass: FieldPolicy['sharingClass'], extra: Partial<FieldPolicy> = {}): FieldPolicy => ({
  coordinate, sharingClass, purposes: [], basis: sharingClass === 'UNCONDITIONAL' ? null : 'PIPL art. 28', caseIdRequired: false,
  condition: null, provider: 'psb', subgraph: 'population', origin: 'SDL', ...extra,
});
const snapshot = new PolicySnapshot({
  version: 3,
  fields: [
    policy('Person.id', 'UNCONDITIONAL', { origin: 'KEY' }),
    policy('Person.name', 'UNCONDITIONAL'),
    policy('Person.householdDivision', 'UNCONDITIONAL'),
    policy('Person.householdAddress', 'CONDITIONAL', { condition: { kind: 'CONSUMER_JURISDICTION', attribute: 'Person.householdDivision' } }),
    policy('Person.biometricTemplate', 'NOT_SHARED'),
  ],
  grants: [{ id: 'g-mca', consumer: 'mca', coordinate: 'Person.householdAddress', purpose: 'ADMINISTRATIVE_BASIS', validFrom: new Date(0).toISOString(), validUntil: null, revokedAt: null }],
  departments: [{ code: 'mca', jurisdiction: '440104' }],
  purposes: ['ADMINISTRATIVE_BASIS'],
});
const divisionOf: RowAttributes = { 'Person.householdDivision': (p: { householdDivision?: string }) => p.householdDivision };

function context(department: string, scope: 'data' | 'sdl' = 'data'): SharingRequestContext {
  const caller: Caller = { department, app: `${department}-app`, purpose: 'ADMINISTRATIVE_BASIS', caseId: null };
  return { sharing: { scope, caller, snapshot, decisions: new Map<string, Decision>() } };
}

async function run(schema: GraphQLSchema, source: string, contextValue: unknown) {
  const result = await execute({ schema, document: parse(source), contextValue });
  return { data: result.data, errors: (result.errors ?? []).map((e): Record<string, unknown> => ({ path: e.path, message: e.message, ...e.extensions })) };
}

const shielded = applyMiddleware(base, sharingShield(base, divisionOf));

describe('shield rule tree', () => {
  it('names a rule for every field of every object type: root fields the root rule, `_service` allowed, the rest by coordinate', () => {
    const tree = buildShieldRuleTree(base) as Record<string, Record<string, { name?: string }>>;
    for (const type of Object.values(base.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      expect(Object.keys(tree[type.name] ?? {}).sort(), type.name).toEqual(Object.keys(type.getFields()).sort());
    }
    expect(Object.keys(tree).sort()).toEqual(['Person', 'Query', '_Service']);
    expect(tree.Query!.person!.name).toBe('root:authenticated-caller');
    expect(tree.Query!.people).toBe(tree.Query!.person);
    expect(tree.Query!._service).toBe(allow);
    expect(tree._Service!.sdl).toBe(allow);
    for (const field of Object.keys(tree.Person!)) expect(tree.Person![field]!.name).toBe(`policy:Person.${field}`);
  });
});

describe('shield over a subgraph schema', () => {
  it('answers an allowed field and refuses a denied one with null and one FORBIDDEN error', async () => {
    const { data, errors } = await run(shielded, '{ person(id: "p1") { id name biometricTemplate } }', context('mca'));
    expect(data).toEqual({ person: { id: 'p1', name: 'Ann', biometricTemplate: null } });
    expect(errors).toEqual([expect.objectContaining({ path: ['person', 'biometricTemplate'], code: 'FORBIDDEN', coordinate: 'Person.biometricTemplate', reason: 'NOT_SHARED' })]);
  });

  it('lets the provider read everything (positive control)', async () => {
    const { data, errors } = await run(shielded, '{ people { name householdAddress biometricTemplate } }', context('psb'));
    expect(errors).toEqual([]);
    expect(data).toEqual({ people: persons.map(({ name, householdAddress, biometricTemplate }) => ({ name, householdAddress, biometricTemplate })) });
  });

  it('applies a row condition per row: inside the consumer\'s jurisdiction only, decided once per coordinate', async () => {
    const ctx = context('mca');
    const { data, errors } = await run(shielded, '{ people { name householdAddress } }', ctx);
    expect(data).toEqual({ people: [{ name: 'Ann', householdAddress: '1 Road, Yuexiu' }, { name: 'Bob', householdAddress: null }] });
    expect(errors).toEqual([expect.objectContaining({ path: ['people', 1, 'householdAddress'], code: 'FORBIDDEN', reason: 'OUT_OF_JURISDICTION' })]);
    expect([...ctx.sharing.decisions.keys()].sort()).toEqual(['Person.householdAddress', 'Person.name']);
    // Without the grant: no row gets as far as the condition.
    const tax = await run(shielded, '{ people { householdAddress } }', context('tax'));
    expect(tax.errors.map((e) => e.reason)).toEqual(['NO_GRANT', 'NO_GRANT']);
  });

  it('refuses every field without a verified sharing context: UNAUTHENTICATED', async () => {
    for (const contextValue of [undefined, {}]) {
      const { data, errors } = await run(shielded, '{ person(id: "p1") { name } }', contextValue);
      expect(data).toEqual({ person: null });
      expect(errors).toEqual([expect.objectContaining({ path: ['person'], code: 'UNAUTHENTICATED' })]);
    }
  });

  it('lets a registry (sdl) context read `_service { sdl }` and nothing else', async () => {
    const sdl = await run(shielded, '{ _service { sdl } }', context('mca', 'sdl'));
    expect(sdl).toEqual({ data: { _service: { sdl: SDL } }, errors: [] });
    const data = await run(shielded, '{ person(id: "p1") { name } }', context('mca', 'sdl'));
    expect(data.data).toEqual({ person: null });
    expect(data.errors).toEqual([expect.objectContaining({ path: ['person'], code: 'FORBIDDEN', reason: 'WRONG_SCOPE', message: expect.stringMatching(/scope "sdl" reads only \{ _service \{ sdl \} \}/) })]);
    // A data context reads the SDL too.
    expect((await run(shielded, '{ _service { sdl } }', context('mca'))).errors).toEqual([]);
  });

  it('denies a field the rule tree does not list (fallbackRule: deny)', async () => {
    // The schema grew a field after the rule tree was compiled.
    const grown = makeExecutableSchema({ typeDefs: SDL.replace('biometricTemplate: String }', 'biometricTemplate: String nickname: String }'), resolvers });
    const schema = applyMiddleware(grown, sharingShield(base, divisionOf));
    const { data, errors } = await run(schema, '{ person(id: "p1") { name nickname } }', context('psb'));
    expect(data).toEqual({ person: { name: 'Ann', nickname: null } });
    expect(errors).toEqual([expect.objectContaining({ path: ['person', 'nickname'], code: 'FORBIDDEN', message: 'access denied by the sharing policy' })]);
  });

  it('surfaces a crashing rule as its own error, never as a quiet denial', async () => {
    // The row condition names an attribute this subgraph was not given.
    const careless = applyMiddleware(base, sharingShield(base));
    const { data, errors } = await run(careless, '{ person(id: "p1") { name householdAddress } }', context('mca'));
    expect(data).toEqual({ person: { name: 'Ann', householdAddress: null } });
    expect(errors).toEqual([expect.objectContaining({
      path: ['person', 'householdAddress'],
      message: 'row condition on Person.householdAddress names attribute Person.householdDivision, which this subgraph does not expose',
    })]);
    expect(errors[0]).not.toHaveProperty('code');
  });
});
