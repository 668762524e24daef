/**
 * Compiles the policy into a graphql-shield rule tree for one subgraph's schema: one named
 * rule per field coordinate, deny for anything unlisted. Rules sit on the fields of entity
 * types, which every route reaches — including `_entities`, where shield cannot guard
 * `__resolveReference` (graphql-shield #1111).
 *
 * The rules read the snapshot and caller from the request context, so one rule tree serves
 * every policy version; the per-request decision memo keeps the cost of long lists to one
 * decision per coordinate plus, where a row condition applies, one cheap check per row.
 */
import { GraphQLError, isObjectType, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../lib/errors.ts';
import { allow, deny, rule, shield, type IRules } from 'graphql-shield';
import { decideField, outOfJurisdiction, rowDenial, withinJurisdiction } from './decide.ts';
import { denialError } from './denialError.ts';
import { schemaRowClasses } from './fieldsUnderPolicy.ts';
import type { Caller, Decision, RowClassRef } from './model.ts';
import type { PolicySnapshot } from './snapshot.ts';

/** What the subgraph's request context carries for the rules. */
export interface SharingRequestContext {
  readonly sharing: {
    /**
     * What the context may read: `data` (a gateway fetch), or `sdl` (the registry's read of
     * `_service { sdl }`, under which every data field is refused, unconditional ones included).
     */
    readonly scope: 'data' | 'sdl';
    readonly caller: Caller;
    readonly snapshot: PolicySnapshot;
    /** Decisions made for this request, by coordinate. */
    readonly decisions: Map<string, Decision>;
  };
}

/** Values of a row the conditions may test, by attribute name (`Person.householdDivision`). */
export type RowAttributes = Readonly<Record<string, (parent: any) => string | null | undefined>>;

/** The SDL, readable under any verified context (a registry `sdl` one included); `_entities` routes to data. */
const SDL_ROOT_FIELD = '_service';

export class ShieldCompileError extends Error {}

export function buildShieldRuleTree(schema: GraphQLSchema, rowAttributes: RowAttributes = {}): IRules {
  const tree: Record<string, Record<string, unknown>> = {};
  const rootNames = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name].filter(Boolean));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields: Record<string, unknown> = {};
    for (const fieldName of Object.keys(type.getFields())) {
      if (rootNames.has(type.name)) {
        // Root fields only route to entities (read by known key); the gateway signature has
        // already been verified. What they return is guarded field by field below.
        fields[fieldName] = fieldName === SDL_ROOT_FIELD ? allow : rootRule;
      } else if (type.name === '_Service') {
        fields[fieldName] = allow;
      } else {
        fields[fieldName] = fieldRule(`${type.name}.${fieldName}`, rowAttributes, schemaRowClasses(schema).get(type.name) ?? []);
      }
    }
    tree[type.name] = fields;
  }
  return tree as IRules;
}

/** The graphql-shield middleware: unlisted fields are denied, a crashing rule is an error. */
export function sharingShield(schema: GraphQLSchema, rowAttributes: RowAttributes = {}) {
  return shield(buildShieldRuleTree(schema, rowAttributes), {
    fallbackRule: deny,
    // A rule that throws is a bug to see, never a silent denial.
    debug: true,
    allowExternalErrors: true,
    fallbackError: (thrown) => (thrown instanceof Error ? thrown : new GraphQLError('access denied by the sharing policy', { extensions: { code: ErrorCode.FORBIDDEN } })),
  });
}

const rootRule = rule('root:authenticated-caller', { cache: 'contextual' })((_parent, _args, ctx: SharingRequestContext) => {
  if (!ctx?.sharing?.caller) return new GraphQLError('no verified sharing context', { extensions: { code: ErrorCode.UNAUTHENTICATED } });
  return ctx.sharing.scope === 'data' ? true : scopeDenial(ctx.sharing.scope);
});

/** R10: a registry context reads the SDL, nothing else — a captured one is worth no data. */
function scopeDenial(scope: string): GraphQLError {
  return new GraphQLError(`a sharing context of scope "${scope}" reads only { _service { sdl } }; data needs a data context from the gateway`, { extensions: { code: ErrorCode.FORBIDDEN, reason: 'WRONG_SCOPE' } });
}

function fieldRule(coordinate: string, rowAttributes: RowAttributes, rowClasses: readonly RowClassRef[]) {
  return rule(`policy:${coordinate}`, { cache: 'no_cache' })((parent, _args, ctx: SharingRequestContext) => {
    const sharing = ctx?.sharing;
    if (!sharing) return new GraphQLError('no verified sharing context', { extensions: { code: ErrorCode.UNAUTHENTICATED } });
    if (sharing.scope !== 'data') return scopeDenial(sharing.scope);
    let decision = sharing.decisions.get(coordinate);
    if (!decision) {
      decision = decideField(sharing.snapshot, sharing.caller, coordinate);
      sharing.decisions.set(coordinate, decision);
    }
    if (!decision.allowed) return denialError(decision.denial);
    // A row of a class the caller may not see gives away nothing, whichever route reached it
    // (`_entities` included): resolvers leave such rows out, this is the net under them.
    const withheld = rowClasses.length ? rowDenial(sharing.snapshot, sharing.caller, rowClasses, parent ?? {}, sharing.decisions) : null;
    if (withheld) return denialError(withheld);
    const condition = decision.rowCondition;
    if (!condition) return true;
    switch (condition.kind) {
      case 'CONSUMER_JURISDICTION': {
        const attribute = rowAttributes[condition.attribute];
        if (!attribute) {
          throw new ShieldCompileError(`row condition on ${coordinate} names attribute ${condition.attribute}, which this subgraph does not expose`);
        }
        const jurisdiction = sharing.snapshot.department(sharing.caller.department)?.jurisdiction;
        return withinJurisdiction(jurisdiction, attribute(parent)) ? true : denialError(outOfJurisdiction(sharing.snapshot, sharing.caller, coordinate));
      }
      default:
        throw new ShieldCompileError(`unknown row condition ${JSON.stringify(condition)} on ${coordinate}`);
    }
  });
}
