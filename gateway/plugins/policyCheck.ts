/**
 * The gateway's enforcement point (R1, R5), stages 5 and 10 of gateway/pipeline.ts: before the query is planned, the operation is
 * checked field by field against the pinned policy snapshot; what the caller may not read is
 * removed, so no subgraph is asked for it, and comes back as null with one FORBIDDEN error
 * each. `X-Sharing-Mode: strict` refuses the whole operation instead.
 *
 * Check results are cached per (policy version, department, purpose, case present,
 * operation): the decision depends on nothing else, except grants that expire — an entry
 * lives no longer than the earliest expiry among the grants it relied on.
 *
 * Row classes (R1 at row level) are checked on the answer: the check asks for the classifying
 * field of each guarded type under a private alias, and `willSendResponse` withholds the rows
 * the caller may not see, whatever the subgraphs sent.
 */
import { createHash } from 'node:crypto';
import { getOperationAST, print, type DocumentNode, type FieldNode } from 'graphql';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { decideField } from '../../policies/decide.ts';
import { denialError } from '../../policies/denialError.ts';
import { checkOperation, restoreDeniedFields, type RowGuard } from '../../policies/staticCheck.ts';
import type { Denial } from '../../policies/model.ts';
import { recordCheck, type GatewayContext } from '../requestContext.ts';
import { govgraphTracer } from '../../lib/tracing.ts';

export interface PolicyCheckOptions {
  /** Off only in the defence-in-depth test: the subgraphs' shield must then deny alone. @default true */
  readonly enabled?: boolean;
  /** Cached check results. @default 2000 */
  readonly cacheSize?: number;
}

interface CachedCheck {
  readonly document: DocumentNode;
  readonly queryHash: string;
  readonly denied: ReadonlyMap<FieldNode, Denial>;
  readonly requested: readonly string[];
  readonly grantsUsed: readonly string[];
  readonly rowGuards: ReadonlyMap<string, readonly RowGuard[]>;
  readonly expiresAt: number;
}

export function policyCheckPlugin(options: PolicyCheckOptions = {}): ApolloServerPlugin<GatewayContext> {
  const enabled = options.enabled ?? true;
  const cacheSize = options.cacheSize ?? 2000;
  const cache = new Map<string, CachedCheck>();

  return {
    async requestDidStart() {
      let check: CachedCheck | null = null;
      let strict = false;
      let original: DocumentNode | null = null;
      return {
        async didResolveOperation(requestContext) {
          const { contextValue, request, document } = requestContext;
          // No declared caller: the operation reads no data, or the purpose was refused (stage 4).
          if (contextValue.stage.name !== 'purposeDeclared' || !enabled) return;
          const { caller } = contextValue.stage;
          const snapshot = contextValue.snapshot;
          const key = `${snapshot.version}\u0000${caller.department}\u0000${caller.purpose}\u0000${caller.caseId ? 1 : 0}\u0000${requestContext.queryHash}\u0000${request.operationName ?? ''}`;
          const now = Date.now();
          check = cache.get(key) ?? null;
          // One span per check (lib/tracing.ts): whether it was decided now or taken from the cache, and what it denied.
          const span = govgraphTracer().startSpan('govgraph.policy_check');
          const cached = check !== null && check.expiresAt > now;
          if (!check || check.expiresAt <= now) {
            let expiresAt = Number.POSITIVE_INFINITY;
            const result = checkOperation(requestContext.schema, document, (coordinate) => {
              const decision = decideField(snapshot, caller, coordinate, now);
              if (decision.allowed && decision.grantId) {
                const until = snapshot.grantFor(caller.department, coordinate, caller.purpose, now)?.validUntil;
                if (until) expiresAt = Math.min(expiresAt, Date.parse(until));
              }
              return decision;
            }, (typeName) => snapshot.rowClassesOf(typeName));
            const rewritten = result.document !== document;
            check = {
              document: result.document,
              // The query plan cache is keyed by this hash: a rewritten operation must never
              // share a plan with the original another caller may be entitled to.
              queryHash: rewritten ? createHash('sha256').update(print(result.document)).digest('hex') : requestContext.queryHash!,
              denied: result.denied,
              requested: result.requested,
              grantsUsed: result.grantsUsed,
              rowGuards: result.rowGuards,
              expiresAt,
            };
            cache.set(key, check);
            if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
          }
          if (span.isRecording()) span.setAttributes({ 'govgraph.policy.version': snapshot.version, 'govgraph.policy.cached': cached, 'govgraph.policy.requested': check.requested.length, 'govgraph.policy.denied': check.denied.size });
          span.end();
          recordCheck(contextValue, {
            requested: check.requested,
            grantsUsed: check.grantsUsed,
            denied: [...new Set([...check.denied.values()].map((d) => d.coordinate))],
          });
          if (check.denied.size === 0 && check.rowGuards.size === 0) return;
          // Strict refuses what is denied before planning; rows are withheld from the answer either way.
          strict = check.denied.size > 0 && request.http?.headers.get('x-sharing-mode')?.trim().toLowerCase() === 'strict';
          if (strict) return;
          original = document;
          const mutable = requestContext as { document: DocumentNode; queryHash: string; operation: unknown };
          mutable.document = check.document;
          mutable.queryHash = check.queryHash;
          mutable.operation = getOperationAST(check.document, request.operationName) ?? undefined;
        },
        async responseForOperation() {
          if (!strict || !check) return null;
          const errors = [...check.denied.entries()].map(([node, denial]) => denialError(denial, undefined, node));
          return { http: { status: 403, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { errors: errors.map((e) => e.toJSON()) } } };
        },
        async willSendResponse({ response, request, schema }) {
          if (!check || !original || strict || response.body.kind !== 'single') return;
          const single = response.body.singleResult;
          const restored = restoreDeniedFields(schema, original, request.operationName, request.variables, single.data as Record<string, unknown> | null | undefined, check.denied, (denial, path, node) => denialError(denial, path, node), check.rowGuards);
          single.data = restored.data;
          // No errors stays no `errors` key: withheld list rows leave no trace, not even an empty list.
          const errors = [...restored.errors.map((e) => e.toJSON()), ...(single.errors ?? [])];
          if (errors.length) single.errors = errors;
        },
      };
    },
  };
}
