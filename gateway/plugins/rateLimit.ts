/**
 * Per-app rate limits at the gateway (R10; no enumeration), stage 6 of gateway/pipeline.ts: requests per minute and distinct
 * keys per minute, each app's own limits from the platform store (`setAppRateLimit` in the
 * admin API), the defaults otherwise. A request over a limit gets HTTP 429 with Retry-After
 * and RATE_LIMITED, before any subgraph is asked.
 *
 * Why didResolveOperation: it is the first point where the operation, its variables and
 * the schema are all known — the keys are the values of the root fields' ID arguments
 * (`person(idNumber:)`, `persons(idNumbers:)`, `legalEntity(creditCode:)`, `parcel(unitNo:)`,
 * `licence(licenceNo:)`, `division(code:)`, `verifyLicence(holderKey:)`, …) after variables
 * are applied; a new subgraph's lookups count without a change here.
 *
 * The audit trail shows who met the limit: the refusal goes through the audit plugin's
 * willSendResponse like any answer, as an ACCESS record of the app with HTTP status 429
 * (only this plugin answers 429), its requested fields all DENIED — nothing was returned,
 * so "who read X" (returned fields only) never lists a refused sweep — and the keys it asked
 * for, which is what an investigation of a sweep wants to see.
 *
 * Counted in memory per gateway replica (see ../limits/appRateLimiter.ts).
 */
import { localizable } from '../../lib/messages.ts';
import { GraphQLError, getNamedType, Kind, valueFromASTUntyped, type FragmentDefinitionNode, type GraphQLObjectType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../lib/errors.ts';
import { AppRateLimiter, DEFAULT_APP_RATE_LIMITS, WINDOW_MS, type AppRateLimits } from '../limits/appRateLimiter.ts';
import { denyEverything, type GatewayContext } from '../requestContext.ts';

/** An app's limits are re-read this often, so a change reaches every replica within it. @default 1000 ms */
export const RATE_LIMITS_CACHE_MS = 1000;

export interface RateLimitOptions {
  /** An app's own limits; null: the defaults. */
  readonly limitsOf: (appId: string) => Promise<AppRateLimits | null>;
  /** @default DEFAULT_APP_RATE_LIMITS (600 requests, 3000 distinct keys per minute) */
  readonly defaults?: AppRateLimits;
  readonly clock?: () => number;
}

export function rateLimitPlugin(options: RateLimitOptions): ApolloServerPlugin<GatewayContext> {
  const clock = options.clock ?? Date.now;
  const limiter = new AppRateLimiter(clock);
  const defaults = options.defaults ?? DEFAULT_APP_RATE_LIMITS;
  const cache = new Map<string, { limits: AppRateLimits; until: number }>();
  let lastSweep = clock();

  const limitsOf = async (app: string): Promise<AppRateLimits> => {
    const now = clock();
    const cached = cache.get(app);
    if (cached && cached.until > now) return cached.limits;
    const limits = (await options.limitsOf(app)) ?? defaults;
    cache.set(app, { limits, until: now + RATE_LIMITS_CACHE_MS });
    return limits;
  };

  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document, request, schema }) {
          const app = contextValue.identity.credentialId;
          const keys = operation ? rootKeys(schema, operation, document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION), request.variables ?? {}) : new Set<string>();
          const limits = await limitsOf(app);
          const now = clock();
          if (now - lastSweep > WINDOW_MS) {
            lastSweep = now;
            limiter.sweep();
            for (const [id, entry] of cache) if (entry.until <= now) cache.delete(id);
          }
          const admission = limiter.admit(app, limits, keys);
          if (admission.admitted) return;
          // Nothing is returned: the audit record lists every requested field as denied.
          denyEverything(contextValue);
          const params = { app, department: contextValue.identity.department, used: admission.used, perMinute: admission.perMinute, retry: admission.retryAfterSeconds, keys: keys.size };
          const said = localizable(admission.limit === 'requests' ? 'rateLimit.requests' : keys.size > admission.perMinute ? 'rateLimit.keysInOperation' : 'rateLimit.keys', params);
          throw new GraphQLError(said.message, {
            extensions: {
              code: ErrorCode.RATE_LIMITED,
              i18n: said.i18n,
              limit: admission.limit,
              perMinute: admission.perMinute,
              retryAfterSeconds: admission.retryAfterSeconds,
              http: { status: 429, headers: new HeaderMap([['retry-after', String(admission.retryAfterSeconds)]]) },
            },
          });
        },
      };
    },
  };
}

/**
 * The identifiers an operation looks up: the values of its root fields' ID-typed arguments
 * (lists flattened), with variables applied; aliases and fragments at the root included.
 */
export function rootKeys(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: readonly FragmentDefinitionNode[], variables: Record<string, unknown>): Set<string> {
  const keys = new Set<string>();
  const root: GraphQLObjectType | null | undefined = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return keys;
  const fields = root.getFields();
  const byName = new Map(fragments.map((f) => [f.name.value, f]));
  const add = (value: unknown) => {
    if (Array.isArray(value)) for (const v of value) add(v);
    else if (typeof value === 'string' || typeof value === 'number') keys.add(String(value));
  };
  const visit = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seen);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = byName.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          visit(fragment.selectionSet, seen);
        }
      } else {
        const definition = fields[selection.name.value];
        for (const argument of selection.arguments ?? []) {
          const argDef = definition?.args.find((a) => a.name === argument.name.value);
          if (!argDef || getNamedType(argDef.type).name !== 'ID') continue;
          add(valueFromASTUntyped(argument.value, variables));
        }
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return keys;
}

