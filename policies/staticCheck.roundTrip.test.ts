/**
 * The gateway's rewrite and restore as one round trip, without a gateway: `checkOperation`
 * removes the denied fields, graphql-js executes the rewritten document over a small
 * in-memory world (standing in for the subgraphs), and `restoreDeniedFields` puts the answer
 * back in the shape of the operation the caller sent. The expected answer is the original
 * operation executed over the same world with every denied field resolving to null.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildSchema, execute, getNamedType, isAbstractType, isObjectType, parse, print, validate,
  type DocumentNode, type GraphQLFieldResolver, type GraphQLNamedType,
} from 'graphql';
import { denialError } from './denialError.ts';
import type { Decision, Denial } from './model.ts';
import { checkOperation, PLACEHOLDER_ALIAS, restoreDeniedFields } from './staticCheck.ts';

const schema = buildSchema(`
  type Query {
    person(id: ID!): Person
    people: [Person]
    node(id: ID!): Node
    search(text: String): [SearchResult]
  }
  interface Node { id: ID! }
  type Person implements Node { id: ID! name: String address: String secret: String friends: [Person] employer: Company }
  type Company implements Node { id: ID! name: String revenue: Float owner: Person }
  union SearchResult = Person | Company
`);

type Row = Record<string, unknown>;
const p1: Row = { __typename: 'Person', id: 'p1', name: 'Ann', address: '1 Road', secret: 's1' };
const p2: Row = { __typename: 'Person', id: 'p2', name: 'Bob', address: '2 Road', secret: 's2' };
const c1: Row = { __typename: 'Company', id: 'c1', name: 'Acme', revenue: 10.5 };
Object.assign(p1, { friends: [p2], employer: c1 });
Object.assign(p2, { friends: [p1], employer: null });
Object.assign(c1, { owner: p1 });
const byId: Record<string, Row> = { p1, p2, c1 };
const rootValue = {
  person: ({ id }: { id: string }) => byId[id] ?? null,
  people: () => [p1, p2],
  node: ({ id }: { id: string }) => byId[id] ?? null,
  search: () => [p1, c1],
};

const denialOf = (coordinate: string): Denial => ({
  coordinate, sharingClass: 'CONDITIONAL', reason: 'NO_GRANT', message: `${coordinate} is denied`, basis: 'basis', provider: 'psb', howToApply: null, unclassified: false,
});

/** A decision function denying `denied`, allowing the rest (Person.name by a grant). */
function decider(denied: ReadonlySet<string>) {
  const asked: string[] = [];
  const decide = (coordinate: string): Decision => {
    asked.push(coordinate);
    if (denied.has(coordinate)) return { allowed: false, denial: denialOf(coordinate) };
    return { allowed: true, grantId: coordinate === 'Person.name' ? 'grant-name' : null, rowCondition: null };
  };
  return { decide, asked };
}

/** What the subgraphs would answer, for any document (the rewritten one included). */
function run(document: DocumentNode, variables?: Record<string, unknown>, fieldResolver?: GraphQLFieldResolver<unknown, unknown>) {
  const result = execute({ schema, document, rootValue, variableValues: variables, ...(fieldResolver ? { fieldResolver } : {}) });
  if ('then' in result) throw new Error('execution is synchronous here');
  expect(result.errors).toBeUndefined();
  return result.data as Record<string, unknown>;
}

/** The answer the caller should see: the original operation with each denied field null. */
function expectedAnswer(document: DocumentNode, denied: ReadonlySet<string>, variables?: Record<string, unknown>) {
  return run(document, variables, (source, args, context, info) => {
    if (denied.has(`${info.parentType.name}.${info.fieldName}`)) return null;
    const value = (source as Row)[info.fieldName];
    return typeof value === 'function' ? (value as (a: unknown) => unknown)(args) : value;
  });
}

function roundTrip(source: string, denied: readonly string[], variables?: Record<string, unknown>, operationName?: string) {
  const document = parse(source);
  expect(validate(schema, document)).toEqual([]);
  const deniedSet = new Set(denied);
  const { decide, asked } = decider(deniedSet);
  const check = checkOperation(schema, document, decide);
  // The coordinates the rewritten document makes the "subgraphs" resolve.
  const resolved: string[] = [];
  const answer = run(check.document, variables, (source, args, _context, info) => {
    resolved.push(`${info.parentType.name}.${info.fieldName}`);
    const value = (source as Row)[info.fieldName];
    return typeof value === 'function' ? (value as (a: unknown) => unknown)(args) : value;
  });
  const restored = restoreDeniedFields(schema, document, operationName, variables, structuredClone(answer), check.denied, (d, path, node) => denialError(d, path, node));
  return { document, check, answer, resolved, restored, asked, expected: expectedAnswer(document, deniedSet, variables) };
}

const errorsOf = (errors: readonly { path?: readonly (string | number)[] | undefined; extensions: Record<string, unknown> }[]) =>
  errors.map((e) => ({ path: e.path, code: e.extensions.code, coordinate: e.extensions.coordinate }));

const DENIED = ['Person.address', 'Person.secret', 'Company.revenue'];

describe('static check round trip: rewrite, execute, restore', () => {
  it('nulls a field under two aliases and in a list, with one error per denied field at its first occurrence', () => {
    const { check, restored, expected, answer, resolved } = roundTrip(
      '{ person(id: "p1") { name a1: address a2: address secret friends { address name } } }',
      DENIED,
    );
    const printed = print(check.document);
    expect(printed).not.toMatch(/address|secret/);
    expect(JSON.stringify(answer)).not.toMatch(/Road|s1|s2/);
    expect(resolved.filter((c) => DENIED.includes(c))).toEqual([]);
    expect(restored.data).toEqual({ person: { name: 'Ann', a1: null, a2: null, secret: null, friends: [{ address: null, name: 'Bob' }] } });
    expect(restored.data).toEqual(expected);
    expect(errorsOf(restored.errors)).toEqual([
      { path: ['person', 'a1'], code: 'FORBIDDEN', coordinate: 'Person.address' },
      { path: ['person', 'a2'], code: 'FORBIDDEN', coordinate: 'Person.address' },
      { path: ['person', 'secret'], code: 'FORBIDDEN', coordinate: 'Person.secret' },
      { path: ['person', 'friends', 0, 'address'], code: 'FORBIDDEN', coordinate: 'Person.address' },
    ]);
    expect([...restored.deniedCoordinates].sort()).toEqual(['Person.address', 'Person.secret']);
    expect(check.grantsUsed).toEqual(['grant-name']);
    expect(check.requested).toEqual(expect.arrayContaining(['Query.person', 'Person.name', 'Person.address', 'Person.secret', 'Person.friends']));
  });

  it('restores through named fragments (spread twice), inline fragments on an interface and a union, and a selection left empty', () => {
    const { check, restored, expected } = roundTrip(`
      {
        people { ...P }
        node(id: "c1") { id ... on Company { name revenue owner { ...P } } ... on Person { address } }
        other: node(id: "p2") { ... on Person { address } }
        search(text: "x") { __typename ... on Person { label: address name } ... on Company { label: name revenue } }
        only: person(id: "p2") { secret }
      }
      fragment P on Person { name address employer { name revenue } }
    `, DENIED);
    const printed = print(check.document);
    // Every selection on an abstract type and every emptied one asks for the placeholder.
    expect(printed.match(new RegExp(`${PLACEHOLDER_ALIAS}: __typename`, "g"))).toHaveLength(6);
    expect(restored.data).toEqual(expected);
    expect(restored.data).toEqual({
      people: [
        { name: 'Ann', address: null, employer: { name: 'Acme', revenue: null } },
        { name: 'Bob', address: null, employer: null },
      ],
      node: { id: 'c1', name: 'Acme', revenue: null, owner: { name: 'Ann', address: null, employer: { name: 'Acme', revenue: null } } },
      other: { address: null },
      search: [{ __typename: 'Person', label: null, name: 'Ann' }, { __typename: 'Company', label: 'Acme', revenue: null }],
      only: { secret: null },
    });
    expect(JSON.stringify(restored.data)).not.toContain(PLACEHOLDER_ALIAS);
    // One error per denied field node (in document order), at the first place the answer reached it.
    expect(errorsOf(restored.errors)).toEqual([
      { path: ['node', 'revenue'], code: 'FORBIDDEN', coordinate: 'Company.revenue' },
      // The inline fragment on Person under `node` (c1, a Company) never applied: no path.
      { path: undefined, code: 'FORBIDDEN', coordinate: 'Person.address' },
      { path: ['other', 'address'], code: 'FORBIDDEN', coordinate: 'Person.address' },
      { path: ['search', 0, 'label'], code: 'FORBIDDEN', coordinate: 'Person.address' },
      { path: ['search', 1, 'revenue'], code: 'FORBIDDEN', coordinate: 'Company.revenue' },
      { path: ['only', 'secret'], code: 'FORBIDDEN', coordinate: 'Person.secret' },
      // Fragment P, spread under `people` and under `node.owner`: one error each, at the first.
      { path: ['people', 0, 'address'], code: 'FORBIDDEN', coordinate: 'Person.address' },
      { path: ['people', 0, 'employer', 'revenue'], code: 'FORBIDDEN', coordinate: 'Company.revenue' },
    ]);
    expect(restored.errors).toHaveLength(check.denied.size);
  });

  it('honours @skip and @include with variables, on fields and on fragments', () => {
    const source = `
      query V($with: Boolean!, $skipName: Boolean!) {
        person(id: "p1") {
          address @include(if: $with)
          name @skip(if: $skipName)
          secret @skip(if: $with)
          ... on Person @include(if: $with) { employer { revenue } }
          ...F @skip(if: $with)
        }
      }
      fragment F on Person { id secret }
    `;
    const on = roundTrip(source, DENIED, { with: true, skipName: true }, 'V');
    expect(on.restored.data).toEqual({ person: { address: null, employer: { revenue: null } } });
    expect(on.restored.data).toEqual(on.expected);
    const paths = (errors: typeof on.restored.errors) => errors.map((e) => [e.extensions.coordinate, e.path]);
    expect(paths(on.restored.errors)).toEqual([
      ['Person.address', ['person', 'address']],
      // Skipped by its directive: the answer never reached it, so the error has no path.
      ['Person.secret', undefined],
      ['Company.revenue', ['person', 'employer', 'revenue']],
      ['Person.secret', undefined],
    ]);
    const off = roundTrip(source, DENIED, { with: false, skipName: false }, 'V');
    expect(off.restored.data).toEqual({ person: { name: 'Ann', secret: null, id: 'p1' } });
    expect(off.restored.data).toEqual(off.expected);
    expect(paths(off.restored.errors)).toEqual([
      ['Person.address', undefined],
      ['Person.secret', ['person', 'secret']],
      ['Company.revenue', undefined],
      ['Person.secret', undefined], // merged under the key `secret` with the one before: that one carries the path
    ]);
  });

  it('leaves the document alone when nothing is denied (positive control): the same document, the same answer, no error', () => {
    const source = `
      query Q($id: ID!) { person(id: $id) { name a: address friends { ...P } } search { ... on Company { revenue } ...P } }
      fragment P on Person { id secret employer { revenue } }
    `;
    const { document, check, answer, restored } = roundTrip(source, [], { id: 'p1' }, 'Q');
    expect(check.document).toBe(document);
    expect(check.denied.size).toBe(0);
    expect(restored.errors).toEqual([]);
    expect(restored.data).toEqual(answer);
    expect(restored.data).toEqual(expectedAnswer(document, new Set(), { id: 'p1' }));
  });

  it('asks the decision for each coordinate of the operation, not for root fields\' own policies', () => {
    const { asked } = roundTrip('{ person(id: "p1") { name } node(id: "p1") { id } }', DENIED);
    expect(asked).toEqual(['Person.name', 'Node.id']);
  });
});

// ——— property: any selection, any denied set ———

const OBJECT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Person: ['id', 'name', 'address', 'secret', 'friends', 'employer'],
  Company: ['id', 'name', 'revenue', 'owner'],
};
/** Interface fields stay allowed: a denial decided on `Node.id` has no single object coordinate to compare with. */
const DENIABLE = ['Person.name', 'Person.address', 'Person.secret', 'Person.friends', 'Person.employer', 'Company.name', 'Company.revenue', 'Company.owner'];

type Sel = { readonly pick: readonly boolean[]; readonly alias: readonly boolean[]; readonly skip: readonly (0 | 1 | 2)[]; readonly wrap: boolean };

/** Text of a selection set on `typeName` from random choices; `depth` bounds the nesting. */
function selectionText(type: GraphQLNamedType, choices: () => Sel, depth: number): string {
  if (isAbstractType(type)) {
    const parts = schema.getPossibleTypes(type).map((t) => `... on ${t.name} { ${selectionText(t, choices, depth)} }`);
    return `__typename ${type.name === 'Node' ? 'id ' : ''}${parts.join(' ')}`;
  }
  if (!isObjectType(type)) return '';
  const names = OBJECT_FIELDS[type.name]!;
  const c = choices();
  const parts: string[] = [];
  names.forEach((name, i) => {
    const child = getNamedType(type.getFields()[name]!.type);
    const composite = isObjectType(child);
    if (!c.pick[i] || (composite && depth === 0)) return;
    const directive = c.skip[i] === 1 ? ' @skip(if: $flag)' : c.skip[i] === 2 ? ' @include(if: $flag)' : '';
    const field = `${c.alias[i] ? `x_${name}: ` : ''}${name}${directive}`;
    parts.push(composite ? `${field} { ${selectionText(child, choices, depth - 1)} }` : field);
  });
  const body = parts.length ? parts.join(' ') : 'id';
  return c.wrap ? `id ... on ${type.name} { ${body} }` : body;
}

const selArb = fc.record({
  pick: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  alias: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  skip: fc.array(fc.constantFrom<0 | 1 | 2>(0, 0, 1, 2), { minLength: 6, maxLength: 6 }),
  wrap: fc.boolean(),
});

describe('static check round trip: property', () => {
  it('for any selection and any denied set: the expected answer, no placeholder, one FORBIDDEN per denied field, null at each error\'s path', () => {
    fc.assert(
      fc.property(fc.array(selArb, { minLength: 40, maxLength: 40 }), fc.subarray(DENIABLE), fc.boolean(), (sels, denied, flag) => {
        let next = 0;
        const choices = () => sels[next++ % sels.length]!;
        const query = schema.getQueryType()!;
        const source = `query R($flag: Boolean!) {
          person(id: "p1") { ${selectionText(query.getFields().person!.type as GraphQLNamedType, choices, 2)} }
          node(id: "c1") { ${selectionText(schema.getType('Node')!, choices, 2)} }
          search { ${selectionText(schema.getType('SearchResult')!, choices, 1)} }
          __typename @skip(if: $flag)
        }`;
        const { document, check, restored, expected, resolved } = roundTrip(source, denied, { flag }, 'R');
        expect(restored.data).toEqual(expected);
        expect(JSON.stringify(restored.data)).not.toContain(PLACEHOLDER_ALIAS);
        expect(restored.errors).toHaveLength(check.denied.size);
        expect(check.document === document).toBe(check.denied.size === 0);
        for (const error of restored.errors) {
          expect(error.extensions.code).toBe('FORBIDDEN');
          expect(denied).toContain(error.extensions.coordinate);
          if (!error.path) continue;
          let value: unknown = restored.data;
          for (const key of error.path) value = (value as Record<string | number, unknown>)[key];
          expect(value).toBeNull();
        }
        // No subgraph is asked for a denied field.
        expect(resolved.filter((c) => denied.includes(c))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
