/**
 * Property: whatever the policy and whatever the selection, no response carries a value the
 * caller is not entitled to. fast-check draws random policies (classes, purposes, grants),
 * a random caller and purpose, and random selections over the supergraph (aliases, inline
 * fragments, unions, nested entities across departments); the entitlement is checked against
 * an independent statement of the rules, not the implementation's decision function. Run with
 * the gateway's check and with the subgraphs' shield alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildClientSchema, getIntrospectionQuery, getNamedType, isLeafType, isObjectType, isUnionType,
  type GraphQLNamedType, type GraphQLSchema,
} from 'graphql';
import { randomFor, type Random } from '../demo/random.ts';
import type { PolicyOverride, SharingClass } from '../policies/model.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const CONSUMERS = ['mca', 'tax', 'hrss', 'thca', 'samr', 'psb', 'dgo'];
const PURPOSES = ['ADMINISTRATIVE_BASIS', 'WORK_REFERENCE', 'DATA_VERIFICATION', 'BUSINESS_COLLABORATION'];
const CLASSES: SharingClass[] = ['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED'];

type Item =
  | { readonly kind: 'field'; readonly key: string; readonly text: string; readonly coordinate: string; readonly composite: boolean; readonly children: readonly Item[] }
  | { readonly kind: 'fragment'; readonly on: string; readonly children: readonly Item[] };

/** A random selection set on `type`, `depth` levels at most; `__typename` always included. */
function selectionOn(schema: GraphQLSchema, type: GraphQLNamedType, depth: number, r: Random): Item[] {
  if (isUnionType(type)) {
    return type.getTypes().filter(() => r.chance(0.8)).map((member) => ({ kind: 'fragment' as const, on: member.name, children: selectionOn(schema, member, depth, r) }));
  }
  if (!isObjectType(type)) return [];
  const fields = Object.values(type.getFields()).filter((f) => f.args.every((a) => a.type.toString().endsWith('!') === false));
  const items: Item[] = [];
  for (const field of fields) {
    if (!r.chance(depth > 1 ? 0.35 : 0.5)) continue;
    const named = getNamedType(field.type);
    const alias = r.chance(0.2) ? `a${r.int(0, 999)}_${field.name}` : null;
    const key = alias ?? field.name;
    const coordinate = `${type.name}.${field.name}`;
    if (isLeafType(named)) {
      items.push({ kind: 'field', key, text: alias ? `${alias}: ${field.name}` : field.name, coordinate, composite: false, children: [] });
    } else if (depth > 1) {
      items.push({ kind: 'field', key, text: alias ? `${alias}: ${field.name}` : field.name, coordinate, composite: true, children: selectionOn(schema, named, depth - 1, r) });
    }
  }
  // Now and then the same fields once more through an inline fragment on the object's own type.
  if (items.length && r.chance(0.15)) return [{ kind: 'fragment', on: type.name, children: items }];
  return items;
}

function print(items: readonly Item[]): string {
  return `{ __typename ${items.map((i) => (i.kind === 'fragment' ? `... on ${i.on} ${print(i.children)}` : i.composite ? `${i.text} ${print(i.children)}` : i.text)).join(' ')} }`;
}

/** Every (coordinate, value) the response carries, found by walking it along the selection. */
function valuesIn(items: readonly Item[], value: unknown, out: { coordinate: string; path: string }[], path: string): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => valuesIn(items, v, out, `${path}[${i}]`));
    return;
  }
  const object = value as Record<string, unknown>;
  for (const item of items) {
    if (item.kind === 'fragment') {
      if (object.__typename === item.on) valuesIn(item.children, object, out, path);
      continue;
    }
    const v = object[item.key];
    if (v === null || v === undefined) continue;
    out.push({ coordinate: item.coordinate, path: `${path}.${item.key}` });
    if (item.composite) valuesIn(item.children, v, out, `${path}.${item.key}`);
  }
}

for (const staticPolicyCheck of [true, false]) {
  describe(`no denied value in any response (${staticPolicyCheck ? 'gateway check + shield' : 'shield alone'})`, () => {
    let platform: TestPlatform;
    let schema: GraphQLSchema;
    beforeAll(async () => {
      platform = await startTestPlatform('sqlite', { staticPolicyCheck });
      const { body } = await platform.query(getIntrospectionQuery(), { as: { department: 'mca', purpose: null } });
      schema = buildClientSchema(body.data);
    });
    afterAll(async () => {
      await platform?.stop();
    });

    it('holds for random policies, callers and selections', async () => {
      const samples = platform.credentials.samples;
      const roots = [
        { field: `person(idNumber: "${samples.persons[0]}")`, type: 'Person' },
        { field: `persons(idNumbers: ["${samples.persons[0]}", "${samples.persons[3]}"])`, type: 'Person' },
        { field: `legalEntity(creditCode: "${samples.legalEntities[0]}")`, type: 'LegalEntity' },
        { field: `parcel(unitNo: "${samples.parcels[0]}")`, type: 'Parcel' },
        { field: `licence(licenceNo: "${samples.licences[0]}")`, type: 'Licence' },
      ];
      const coordinates = [...platform.policy.current.fields.values()].filter((f) => f.origin !== 'KEY').map((f) => f.coordinate);

      await fc.assert(
        fc.asyncProperty(
          fc.record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), consumer: fc.constantFrom(...CONSUMERS), purpose: fc.constantFrom(...PURPOSES) }),
          async ({ seed, consumer, purpose }) => {
            const r = randomFor(seed, 'property', 0);
            // A random policy: about a third of the fields reclassified, some grants for the caller.
            const overrides: PolicyOverride[] = coordinates.filter(() => r.chance(0.35)).map((coordinate) => {
              const sharingClass = r.pick(CLASSES);
              return {
                coordinate,
                sharingClass,
                purposes: sharingClass === 'NOT_SHARED' ? [] : PURPOSES.filter(() => r.chance(0.4)),
                basis: sharingClass === 'UNCONDITIONAL' ? null : '测试依据',
                caseIdRequired: false,
                condition: null,
              };
            });
            const granted = new Set(overrides.filter((o) => o.sharingClass === 'CONDITIONAL' && r.chance(0.4)).map((o) => o.coordinate));
            await platform.store.appendVersion('POLICY', `property run ${seed}`, 'test', async (trx) => {
              for (const coordinate of granted) {
                await platform.store.insertGrant(trx, { consumer, coordinate, purpose, validFrom: new Date(0).toISOString(), validUntil: null, applicationId: null }, 'test');
              }
              return overrides;
            });
            const snapshot = await platform.policy.refresh();

            // The rules, stated independently: provider reads its own; not shared never; purpose
            // must be allowed; conditional needs a grant in force for this consumer and purpose.
            const now = Date.now();
            const entitled = (coordinate: string, reader = consumer): boolean => {
              const policy = snapshot.fields.get(coordinate);
              if (!policy) return true;
              if (policy.provider === reader) return true;
              if (policy.sharingClass === 'NOT_SHARED') return false;
              if (policy.purposes.length > 0 && !policy.purposes.includes(purpose)) return false;
              if (policy.sharingClass === 'UNCONDITIONAL') return true;
              return snapshot.data.grants.some((g) => g.consumer === reader && g.coordinate === coordinate && g.purpose === purpose
                && !g.revokedAt && Date.parse(g.validFrom) <= now && (!g.validUntil || Date.parse(g.validUntil) > now));
            };

            const root = r.pick(roots);
            const items = selectionOn(schema, schema.getType(root.type)!, r.int(1, 4), r);
            const source = `{ root: ${root.field} ${print(items)} }`;
            const { status, body } = await platform.query(source, { as: { department: consumer, purpose } });
            expect(status, source).toBe(200);
            const found: { coordinate: string; path: string }[] = [];
            valuesIn(items, body.data?.root, found, 'root');
            const leaks = found.filter((f) => !entitled(f.coordinate));
            expect(leaks, `${consumer}/${purpose} ${source}\n${JSON.stringify(body).slice(0, 2000)}`).toEqual([]);
            for (const error of body.errors ?? []) {
              expect(error.extensions?.code, JSON.stringify(error)).toBe('FORBIDDEN');
              // A value a subgraph @requires is withheld when that subgraph's department may not
              // read it (R8): the refusal names the subgraph, and its department is the reader.
              const reader = error.extensions.subgraph
                ? platform.registry.current.subgraphs.find((s) => s.name === error.extensions.subgraph)!.department
                : consumer;
              expect(entitled(error.extensions.coordinate, reader), JSON.stringify(error)).toBe(false);
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  });
}
