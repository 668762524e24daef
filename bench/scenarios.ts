/**
 * What the benchmark asks. Each scenario is one GraphQL operation whose variables change from
 * request to request (drawn from the demo world), so neither stack can profit from answering
 * the same request twice. A new scenario is one more entry in SCENARIOS.
 */
import type { DemoWorld } from '../demo/world.ts';

export interface Scenario {
  readonly name: string;
  /** One line for the table's legend. */
  readonly description: string;
  readonly query: string;
  /** How many distinct variable sets the world offers (requests cycle through them). */
  size(world: DemoWorld): number;
  /** The variables of request i, 0 ≤ i < size(world). */
  variables(world: DemoWorld, i: number): Record<string, unknown>;
  /**
   * Checks the `data` of the answer to request i (used on sample requests outside the timed
   * loop): a description of what is wrong, or null.
   */
  check(data: unknown, world: DemoWorld, i: number): string | null;
}

type Json = Record<string, any>;

export const onePerson: Scenario = {
  name: 'one-subgraph',
  description: 'person(idNumber) — base fields from the population subgraph only',
  query: 'query Person($id: ID!) { person(idNumber: $id) { idNumber name gender birthDate ethnicity deceased } }',
  size: (world) => world.size.persons,
  variables: (world, i) => ({ id: world.person(i).idNumber }),
  check(data, world, i) {
    const expected = world.person(i);
    const person = (data as Json | null)?.person as Json | null | undefined;
    if (!person) return `person ${expected.idNumber} is null`;
    if (person.idNumber !== expected.idNumber || person.name !== expected.name) {
      return `person ${expected.idNumber}: expected ${expected.name}, got ${JSON.stringify(person)}`;
    }
    return null;
  },
};

export const entityAcrossThree: Scenario = {
  name: 'three-subgraph',
  description: 'legalEntity(creditCode) with legal representative, credit rating and licences — legal-person, population, credit, licences',
  query: 'query Entity($code: ID!) { legalEntity(creditCode: $code) { name status legalRepresentative { name } credit { rating } licences { licenceNo status } } }',
  size: (world) => world.size.legalEntities,
  variables: (world, j) => ({ code: world.legalEntity(j).creditCode }),
  check(data, world, j) {
    const expected = world.legalEntity(j);
    const entity = (data as Json | null)?.legalEntity as Json | null | undefined;
    if (!entity) return `legal entity ${expected.creditCode} is null`;
    if (entity.name !== expected.name) return `legal entity ${expected.creditCode}: expected ${expected.name}, got ${JSON.stringify(entity.name)}`;
    if (!entity.legalRepresentative?.name) return `legal entity ${expected.creditCode}: no legal representative name (population not joined?)`;
    if (!Array.isArray(entity.licences)) return `legal entity ${expected.creditCode}: licences is not a list (licences not joined?)`;
    return null;
  },
};

export const SCENARIOS: readonly Scenario[] = [onePerson, entityAcrossThree];

/** The request bodies of a scenario, one per variable set, serialised once before the load. */
export function requestBodies(scenario: Scenario, world: DemoWorld): string[] {
  const n = scenario.size(world);
  return Array.from({ length: n }, (_, i) => JSON.stringify({ query: scenario.query, variables: scenario.variables(world, i) }));
}
