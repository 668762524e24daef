/**
 * The data source for every subgraph fetch: plain RemoteGraphQLDataSource plus the sharing
 * context and the fetch timeout.
 *
 * - The context is signed for this one subgraph (its audience) and reused for a few seconds
 *   (sharingContextTokens.ts); each fetch adds a MAC over the token and the exact body bytes
 *   sent, under this subgraph's own key (lib/contextMac.ts). A context captured at one
 *   subgraph reads nothing at another, nor another document at the same one (R10).
 * - Representations (`_entities`) carry values the planner fetched from other departments for
 *   @requires: only values this subgraph's own department may read are ever shipped to it
 *   (R8, R10); anything else fails the fetch before it is sent.
 */
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError, getNamedType, isObjectType, isInterfaceType, type GraphQLSchema } from 'graphql';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import type { SubgraphAuthHealth } from './subgraphAuthHealth.ts';
import { SHARING_CONTEXT_HEADER } from '../lib/sharingContext.ts';
import { contextMac, SHARING_CONTEXT_MAC_HEADER } from '../lib/contextMac.ts';
import { ErrorCode } from '../lib/errors.ts';
import { decideRequiresInput } from '../policies/requiresInputs.ts';
import type { Caller } from '../policies/model.ts';
import type { PolicySnapshot } from '../policies/snapshot.ts';
import { SubgraphFetchError } from './subgraphFetcher.ts';
import type { SharingContextTokens } from './sharingContextTokens.ts';
import type { GatewayContext } from './requestContext.ts';
import { injectTraceContext } from '../lib/tracing.ts';

type ProcessOptions = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0];
type ResponseOptions = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0];

/**
 * Adds the per-fetch MAC. RemoteGraphQLDataSource serializes the body itself, after
 * willSendRequest; the fetcher is the one place that sees the final string, so the MAC is
 * computed here, over exactly what is sent.
 */
function macFetcher(inner: Fetcher, macKey: () => Buffer): Fetcher {
  return (url, init) => {
    const headers = init?.headers as Record<string, string> | undefined;
    const token = headers?.[SHARING_CONTEXT_HEADER];
    if (!token || typeof init?.body !== 'string') return inner(url, init);
    return inner(url, { ...init, headers: { ...headers, [SHARING_CONTEXT_MAC_HEADER]: contextMac(macKey(), token, init.body) } });
  };
}

export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraphName: string,
    url: string,
    fetcher: Fetcher,
    private readonly tokens: SharingContextTokens,
    /** Where the subgraph reads the policy snapshot the context names: the gateway's own route. */
    private readonly snapshotUrl: string,
    private readonly health: (name: string) => { healthy: boolean; since: string; detail: string } | undefined,
    /**
     * The department that registered a subgraph (the registry's), for what may be shipped to
     * it. Unknown: nothing but keys is shipped.
     */
    private readonly departmentOf: (subgraph: string) => string | undefined = () => undefined,
    /** Told when the subgraph refuses the gateway's context (401) and when it accepts one again (readiness). */
    private readonly authHealth?: SubgraphAuthHealth,
  ) {
    super({ url, fetcher: macFetcher(fetcher, () => tokens.macKeyFor(subgraphName)) });
  }

  override willSendRequest(options: ProcessOptions): void | Promise<void> {
    const { request, context } = options;
    const { stage } = context;
    // Planning follows the purpose stage: a fetch without a declared caller is a pipeline bug.
    if (stage.name === 'authenticated') throw new Error('a subgraph fetch without a declared caller: the purpose stage (gateway/plugins/purpose.ts) did not run');
    const { caller } = stage;
    context.subgraphsCalled.add(this.subgraphName);
    const health = this.health(this.subgraphName);
    if (health && !health.healthy) {
      // Fail fast: the rest of the query is still answered, this department's fields get a clear error.
      // The reason (an address, a system message) is for administrators: `subgraphs` in /admin/graphql.
      throw new GraphQLError(`the ${this.subgraphName} subgraph is unavailable (since ${health.since}); its fields cannot be read now`, { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: this.subgraphName } });
    }
    const representations = request.variables?.representations;
    if (Array.isArray(representations) && representations.length > 0) {
      const schema = 'incomingRequestContext' in options ? options.incomingRequestContext.schema : undefined;
      this.checkRepresentations(representations, caller, context.snapshot, schema);
    }
    return this.tokens.tokenFor(this.subgraphName, {
      consumer: caller.department,
      app: caller.app,
      purpose: caller.purpose,
      caseId: caller.caseId,
      requestId: context.requestId,
      policyVersion: context.snapshot.version,
      snapshotUrl: this.snapshotUrl,
    }).then((token: string) => {
      request.http?.headers.set(SHARING_CONTEXT_HEADER, token);
      request.http?.headers.set('x-request-id', context.requestId);
      // W3C traceparent (when tracing) beside the signed context: the subgraph hangs its spans
      // under this fetch's span and decides nothing on it (it is not signed).
      injectTraceContext((name, value) => request.http?.headers.set(name, value));
    });
  }

  /**
   * R8, R10: every value in the representations, other than keys and `__typename`, must be one
   * this subgraph's department may read itself (as the consumer's purpose and case allow):
   * @requires would otherwise hand one department another's conditional data. A value under a
   * row condition is shipped only to its provider, as the condition is decided per row in the
   * provider's subgraph. Null values carry nothing and are not checked.
   */
  private checkRepresentations(representations: readonly unknown[], caller: Caller, snapshot: PolicySnapshot, schema: GraphQLSchema | undefined): void {
    const department = this.departmentOf(this.subgraphName);
    const reader: Caller = { department: department ?? `(unregistered subgraph ${this.subgraphName})`, app: `subgraph:${this.subgraphName}`, purpose: caller.purpose, caseId: caller.caseId };
    const allowed = new Set<string>();
    const refuse = (coordinate: string, why: string, extensions: Record<string, unknown> = {}): never => {
      throw new GraphQLError(
        `the gateway does not send ${coordinate} to the ${this.subgraphName} subgraph (department ${department ?? 'unknown'}), which needs it for @requires: ${why} (R8, R10: only data a subgraph's own department may read is shipped to it)`,
        { extensions: { code: ErrorCode.FORBIDDEN, coordinate, subgraph: this.subgraphName, rule: 'R8/R10', ...extensions } },
      );
    };
    const check = (coordinate: string): void => {
      const decision = decideRequiresInput(snapshot, reader, coordinate);
      if (!decision.allowed) refuse(coordinate, decision.why, decision.extensions);
    };
    const visit = (typeName: string, value: Record<string, unknown>): void => {
      for (const field in value) {
        if (field === '__typename') continue;
        const v = value[field];
        if (v === null || v === undefined) continue;
        const coordinate = `${typeName}.${field}`;
        if (!allowed.has(coordinate)) {
          check(coordinate);
          allowed.add(coordinate);
        }
        if (typeof v !== 'object') continue;
        for (const item of Array.isArray(v) ? v : [v]) {
          if (item === null || typeof item !== 'object') continue;
          const nested = (item as { __typename?: unknown }).__typename;
          const nestedType = typeof nested === 'string' ? nested : fieldTypeName(schema, typeName, field);
          if (!nestedType) refuse(coordinate, 'the type of its value is unknown to the gateway, so its fields cannot be checked');
          visit(nestedType!, item as Record<string, unknown>);
        }
      }
    };
    for (const representation of representations) {
      if (representation === null || typeof representation !== 'object') continue;
      const typeName = (representation as { __typename?: unknown }).__typename;
      if (typeof typeName !== 'string') refuse('(representation)', 'a representation without __typename cannot be checked');
      visit(typeName as string, representation as Record<string, unknown>);
    }
  }

  /** An answer (any GraphQL answer, HTTP 2xx): the subgraph accepted the context. */
  override didReceiveResponse({ response }: ResponseOptions): ResponseOptions['response'] {
    this.authHealth?.accepted(this.subgraphName);
    return response;
  }

  /**
   * An HTTP error from the subgraph. A 401 means it refused the gateway's own context (a key
   * it does not trust): not the caller's fault, so SUBGRAPH_UNAVAILABLE, and /readyz says so.
   * Either way the subgraph's internal address (Apollo's `extensions.response.url`) never
   * reaches the client.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const error = await super.errorFromResponse(response);
    const { response: detail, ...extensions } = error.extensions as { response?: { body?: unknown } } & Record<string, unknown>;
    if (response.status === 401) {
      const said = (detail?.body as { errors?: { message?: string }[] } | undefined)?.errors?.[0]?.message;
      this.authHealth?.refused(this.subgraphName, said ?? `${response.status} ${response.statusText}`);
      return new GraphQLError(`the ${this.subgraphName} subgraph refused the gateway's sharing context; its fields cannot be read now (the operators see why on /readyz)`, {
        extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: this.subgraphName },
      });
    }
    this.authHealth?.accepted(this.subgraphName);
    const { url: _url, ...withoutUrl } = (detail ?? {}) as Record<string, unknown>;
    return new GraphQLError(error.message, { extensions: { ...extensions, response: withoutUrl, subgraph: this.subgraphName } });
  }

  /**
   * A fetch that got no answer: the consumer learns which department's fields failed and
   * whether it was slow or down, not the subgraph's address (that is in the error's cause).
   */
  override didEncounterError(error: Error): never {
    if (error instanceof SubgraphFetchError) {
      const what = error.kind === 'timeout' ? `did not answer within ${error.timeoutMs} ms`
        : error.kind === 'circuit_open' ? `is unavailable (its recent fetches failed; it is tried again in ${Math.ceil((error.retryInMs ?? 0) / 1000)} s)`
          : 'could not be reached';
      throw new GraphQLError(`the ${this.subgraphName} subgraph ${what}; its fields cannot be read now`, {
        extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: this.subgraphName },
        originalError: error,
      });
    }
    throw error;
  }
}

function fieldTypeName(schema: GraphQLSchema | undefined, typeName: string, field: string): string | undefined {
  const type = schema?.getType(typeName);
  if (!type || !(isObjectType(type) || isInterfaceType(type))) return undefined;
  const fieldDef = type.getFields()[field];
  return fieldDef ? getNamedType(fieldDef.type).name : undefined;
}
