/**
 * What `@requires` may ship to a subgraph (R8, R10): the gateway sends a subgraph the values of
 * another department's fields in `_entities` representations, so only values the subgraph's
 * own department may read itself are sent. One decision serves both places that ask: the
 * registry, when a subgraph declares `@requires` (mayRequire), and the gateway, for every
 * value of every fetch (decideRequiresInput, in gateway/signedDataSource.ts).
 */
import { decideField } from './decide.ts';
import type { Caller } from './model.ts';
import type { PolicySnapshot } from './snapshot.ts';

export type RequiresInputDecision =
  | { readonly allowed: true }
  | {
    readonly allowed: false;
    /** Why, for the caller. */
    readonly why: string;
    /** What the error's extensions say: reason, and the sharing class and provider when known. */
    readonly extensions: Readonly<Record<string, unknown>>;
  };

const SHIPPABLE: RequiresInputDecision = { allowed: true };

/**
 * Whether a value of `coordinate` may be shipped to a subgraph of `reader.department`, read
 * as the consumer's purpose and case allow. Key fields identify the entity (the subgraph
 * already holds them); a value under a row condition goes only to its provider, as the
 * condition is decided per row in the provider's subgraph.
 */
export function decideRequiresInput(snapshot: PolicySnapshot, reader: Caller, coordinate: string): RequiresInputDecision {
  const policy = snapshot.fields.get(coordinate);
  if (policy?.origin === 'KEY') return SHIPPABLE;
  const decision = decideField(snapshot, reader, coordinate);
  if (!decision.allowed) {
    const { denial } = decision;
    return { allowed: false, why: denial.message, extensions: { reason: denial.reason, sharingClass: denial.sharingClass, provider: denial.provider } };
  }
  if (decision.rowCondition) {
    return {
      allowed: false,
      why: `it is read under a row condition (${decision.rowCondition.kind}) that only its provider's subgraph decides`,
      extensions: { reason: 'ROW_CONDITION', provider: policy?.provider },
    };
  }
  return SHIPPABLE;
}

/**
 * At registration: whether a department may declare `@requires` of `coordinate` — it may read
 * it now for some declared purpose, with no row condition (the gateway still checks every fetch).
 */
export function mayRequire(snapshot: PolicySnapshot, department: string, coordinate: string): boolean {
  return [...snapshot.purposes].some((purpose) =>
    decideRequiresInput(snapshot, { department, app: 'registry', purpose, caseId: 'registry-check' }, coordinate).allowed);
}
