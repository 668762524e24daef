/**
 * The access audit trail at the gateway (R10), stage 11 of gateway/pipeline.ts: one record per GraphQL request — who asked
 * (department, app, purpose, case), what (field coordinates requested, returned and
 * denied; the base-entity keys read), through which subgraphs, how it ended (status,
 * latency) — committed BEFORE the answer leaves.
 *
 * Why willSendResponse: Apollo Server 5's request pipeline awaits every plugin's
 * willSendResponse (`invokeWillSendResponse`, also on the error paths) before
 * `executeHTTPGraphQLRequest` returns the response to be written, so awaiting the append
 * there holds the answer until the record is durable. If the record cannot be written the
 * answer is replaced by AUDIT_UNAVAILABLE (HTTP 503): a read that cannot be recorded is not
 * answered.
 *
 * Not seen here: requests refused before Apollo runs (no or a bad token, a body too large);
 * they read nothing.
 */
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { getOperationAST, Kind, valueFromASTUntyped, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';
import type { AuditLog } from '../../audit/auditLog.ts';
import { KEY_KINDS, type AccessRecordInput, type EntityKey, type KeyKind } from '../../audit/auditRecord.ts';
import { ErrorCode } from '../../lib/errors.ts';
import { accessOf, callerOf, type GatewayContext } from '../requestContext.ts';
import { inSpan } from '../../lib/tracing.ts';

export interface AuditPluginOptions {
  /** Told about every record that could not be written (the answer was withheld). */
  readonly onError?: (error: unknown, requestId: string) => void;
  /** Told how long each record took to commit (the audit lag every answer waits for), in seconds. */
  readonly onCommitted?: (seconds: number) => void;
  /** Seconds a client is told to wait after AUDIT_UNAVAILABLE. @default 1 */
  readonly retryAfterSeconds?: number;
}

const KEY_FIELDS: ReadonlySet<string> = new Set(KEY_KINDS);

/** Arguments naming base entities: `person(idNumber:)`, `persons(idNumbers:)`, and the others alike. */
const KEY_ARGUMENTS: ReadonlyMap<string, KeyKind> = new Map(KEY_KINDS.flatMap((kind) => [[kind, kind], [`${kind}s`, kind]] as const));

export function auditPlugin(log: AuditLog, options: AuditPluginOptions = {}): ApolloServerPlugin<GatewayContext> {
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  return {
    async requestDidStart({ contextValue }) {
      const time = new Date().toISOString();
      const started = performance.now();
      // The policy check swaps in a rewritten document (and its hash) when it removes denied
      // fields; the audit names the operation the caller sent.
      let operationHash: string | null = null;
      return {
        async didResolveSource({ queryHash }) {
          operationHash = queryHash;
        },
        async willSendResponse(requestContext) {
          const record = accessRecord(requestContext, contextValue, time, performance.now() - started, operationHash);
          try {
            const appending = performance.now();
            await inSpan('govgraph.audit_commit', { 'govgraph.request_id': record.requestId }, () => log.append(record));
            options.onCommitted?.((performance.now() - appending) / 1000);
          } catch (error) {
            options.onError?.(error, contextValue.requestId);
            const { response } = requestContext;
            response.http.status = 503;
            response.http.headers.set('retry-after', retryAfter);
            response.body = {
              kind: 'single',
              singleResult: {
                errors: [{
                  message: `the answer is withheld because its access could not be recorded in the audit trail (R10); retry in ${retryAfter} s — request id ${contextValue.requestId}`,
                  extensions: { code: ErrorCode.AUDIT_UNAVAILABLE },
                }],
              },
            };
          }
        },
      };
    },
  };
}

function accessRecord(
  requestContext: GraphQLRequestContextWillSendResponse<GatewayContext>,
  context: GatewayContext,
  time: string,
  latencyMs: number,
  operationHash: string | null,
): AccessRecordInput {
  const { response, request, document } = requestContext;
  const caller = callerOf(context.stage);
  const access = accessOf(context.stage);
  const keys = new Map<string, EntityKey>();
  const addKey = (kind: KeyKind, value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number') keys.set(`${kind}\u0000${value}`, { kind, value: String(value) });
  };
  if (document) collectKeys(document, request.operationName, request.variables ?? {}, response.body, addKey);
  return {
    kind: 'ACCESS',
    time,
    requestId: context.requestId,
    // The caller, when declared, is the token's app: the identity names it for introspection too.
    department: context.identity.department,
    app: context.identity.credentialId,
    purpose: caller?.purpose ?? null,
    caseId: caller?.caseId ?? null,
    operationName: requestContext.operationName ?? request.operationName ?? null,
    operationHash: operationHash ?? requestContext.queryHash ?? null,
    requested: access.requested,
    denied: access.denied,
    grantsUsed: access.grantsUsed,
    subgraphs: [...context.subgraphsCalled],
    keys: [...keys.values()],
    status: response.http.status ?? 200,
    latencyMs,
  };
}

/**
 * The base-entity keys an operation read: arguments naming entities (with variables
 * resolved), and every value the response holds under a key field — found by response
 * name, aliases included, so `n: idNumber` is not a way around the audit.
 */
function collectKeys(
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  body: GraphQLRequestContextWillSendResponse<GatewayContext>['response']['body'],
  addKey: (kind: KeyKind, value: unknown) => void,
): void {
  const responseNames = new Map<string, KeyKind[]>();
  const visitField = (field: FieldNode) => {
    for (const argument of field.arguments ?? []) {
      const kind = KEY_ARGUMENTS.get(argument.name.value);
      if (!kind) continue;
      const value = valueFromASTUntyped(argument.value, variables);
      for (const v of Array.isArray(value) ? value : [value]) addKey(kind, v);
    }
    if (KEY_FIELDS.has(field.name.value)) {
      const name = field.alias?.value ?? field.name.value;
      const kinds = responseNames.get(name) ?? [];
      kinds.push(field.name.value as KeyKind);
      responseNames.set(name, kinds);
    }
  };
  const visitSet = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        visitField(selection);
        visitSet(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) visitSet(selection.selectionSet);
      // Fragment spreads: their definitions are visited below, once each.
    }
  };
  visitSet(getOperationAST(document, operationName)?.selectionSet);
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) visitSet(definition.selectionSet);
  }
  if (responseNames.size === 0) return;
  const data = body.kind === 'single' ? body.singleResult.data : body.initialResult.data;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
    } else if (value !== null && typeof value === 'object') {
      for (const [name, child] of Object.entries(value)) {
        const kinds = responseNames.get(name);
        if (kinds) for (const kind of kinds) addKey(kind, child);
        walk(child);
      }
    }
  };
  walk(data);
}
