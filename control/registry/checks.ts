/**
 * The checks a subgraph change must pass before it is published: it composes with the
 * other subgraphs, its fields are classified (R1: conditional and not-shared need a legal
 * basis; unclassified fields are listed), and what it would break in the published schema —
 * with who used the affected fields lately — is known before anyone is broken.
 */
import { composeServices } from '@apollo/composition';
import { findBreakingChanges, parse, type GraphQLSchema } from 'graphql';
import { fieldsUnderPolicy, SharingDirectiveError } from '../../policies/fieldsUnderPolicy.ts';
import { sdlGuardProblems } from '../classification/classificationGuards.ts';

export interface RegisteredSubgraph {
  readonly name: string;
  readonly department: string;
  readonly url: string;
  readonly sdl: string;
}

export interface CompositionProblem {
  readonly code: string;
  readonly message: string;
  readonly locations: readonly { subgraph: string | null; line: number; column: number }[];
}

export interface BreakingChange {
  readonly kind: string;
  readonly description: string;
  /** `Type.field` or `Type` the change affects. */
  readonly coordinate: string;
}

export interface FieldUsage {
  readonly coordinate: string;
  readonly consumer: string;
  readonly operationName: string | null;
  readonly requests: number;
  readonly lastSeen: string;
}

export interface CheckReport {
  readonly subgraph: string;
  readonly ok: boolean;
  readonly composition: readonly CompositionProblem[];
  /** R1 failures: conditional / not-shared without basis, invalid class. */
  readonly classificationErrors: readonly string[];
  /** Fields without @sharing: treated as conditional and shown as unclassified. */
  readonly unclassified: readonly string[];
  /** R8 failures: another department's type or field taken over, co-resolved, classified or received. */
  readonly ownershipErrors: readonly string[];
  /** Types and fields nobody owns yet that publishing makes the department's own. */
  readonly claims: readonly string[];
  readonly breakingChanges: readonly BreakingChange[];
  /** Who used the affected fields in the usage window (from the audit trail). */
  readonly affectedUsage: readonly FieldUsage[];
  /** The composed result, when composition succeeded. */
  readonly supergraphSdl: string | null;
}

export type UsageSource = (coordinates: readonly string[], since: Date) => Promise<readonly FieldUsage[]>;

/** How far back usage counts for a breaking change. */
export const USAGE_WINDOW_DAYS = 30;

export interface ComposedSupergraph {
  readonly supergraphSdl: string;
  readonly apiSchema: GraphQLSchema;
}

export function compose(subgraphs: readonly RegisteredSubgraph[]): { composed: ComposedSupergraph | null; problems: CompositionProblem[] } {
  const problems: CompositionProblem[] = [];
  const services = [];
  for (const s of subgraphs) {
    try {
      services.push({ name: s.name, url: s.url, typeDefs: parse(s.sdl) });
    } catch (error) {
      const e = error as { message: string; locations?: { line: number; column: number }[] };
      problems.push({ code: 'INVALID_GRAPHQL', message: `${s.name}: ${e.message}`, locations: (e.locations ?? []).map((l) => ({ subgraph: s.name, ...l })) });
    }
  }
  if (problems.length) return { composed: null, problems };
  const result = composeServices(services);
  if (result.errors) {
    for (const error of result.errors) {
      problems.push({
        code: String(error.extensions?.code ?? 'COMPOSITION_ERROR'),
        message: error.message,
        locations: (error.nodes ?? []).flatMap((n) => (n.loc ? [{ subgraph: (n as { subgraph?: string }).subgraph ?? null, line: n.loc.startToken.line, column: n.loc.startToken.column }] : [])),
      });
    }
    return { composed: null, problems };
  }
  return { composed: { supergraphSdl: result.supergraphSdl, apiSchema: result.schema.toAPISchema().toGraphQLJSSchema() }, problems };
}

/**
 * R1 and the classification guards (issue 21): `mandateOverrides` are the coordinates the
 * coordinating office lets be restricted although marked basic or licensing-related.
 */
export function classification(candidate: RegisteredSubgraph, mandateOverrides: ReadonlySet<string> = new Set()): { errors: string[]; unclassified: string[] } {
  const errors: string[] = [];
  const unclassified: string[] = [];
  let fields;
  try {
    fields = fieldsUnderPolicy([{ name: candidate.name, department: candidate.department, typeDefs: parse(candidate.sdl) }]);
  } catch (error) {
    if (error instanceof SharingDirectiveError) return { errors: [error.message], unclassified };
    return { errors: [], unclassified };
  }
  // 涉密 fields are refused; marked items declared restricted need the office's override.
  errors.push(...sdlGuardProblems(fields, mandateOverrides));
  for (const field of fields) {
    if (field.isKey) continue;
    if (!field.sharing) unclassified.push(field.coordinate);
    else if (field.sharing.sharingClass !== 'UNCONDITIONAL' && !field.sharing.basis?.trim()) {
      // R1: conditional and not-shared resources cite their legal basis.
      errors.push(`${field.coordinate} is ${field.sharing.sharingClass} without a legal basis (R1): add basis: "…" to its @sharing`);
    }
  }
  return { errors, unclassified };
}

export function breakingChanges(before: GraphQLSchema, after: GraphQLSchema): BreakingChange[] {
  return findBreakingChanges(before, after).map((change) => {
    const match = /^([A-Za-z_]\w*)(\.[A-Za-z_]\w*)?/.exec(change.description);
    return { kind: change.type, description: change.description, coordinate: match ? match[0] : change.description };
  });
}
