/** Composes the departments' subgraph SDL into one supergraph (Apollo Federation 2). */
import { composeServices } from '@apollo/composition';
import type { SubgraphEndpoint } from '../platform/credentials.ts';

export type { SubgraphEndpoint };

export class CompositionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the subgraphs do not compose:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function composeSupergraph(subgraphs: readonly SubgraphEndpoint[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: s.typeDefs })));
  if (result.errors) throw new CompositionError(result.errors.map((e) => e.message));
  return result.supergraphSdl;
}
