/** Every department subgraph the platform runs, in start order (base data first). */
import type { SubgraphDefinition } from './runtime/definition.ts';
import { population } from './population/index.ts';
import { legalPerson } from './legal-person/index.ts';
import { credit } from './credit/index.ts';
import { geography } from './geography/index.ts';
import { licences } from './licences/index.ts';
import { enterpriseProfile } from './enterprise-profile/index.ts';

export const SUBGRAPHS: readonly SubgraphDefinition[] = [population, legalPerson, geography, credit, licences, enterpriseProfile];

export function subgraphByName(name: string): SubgraphDefinition {
  const found = SUBGRAPHS.find((s) => s.name === name);
  if (!found) throw new Error(`no subgraph named ${JSON.stringify(name)}; known: ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
  return found;
}
