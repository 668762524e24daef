/**
 * The data source for every subgraph fetch: plain RemoteGraphQLDataSource plus the signed
 * sharing context (signed once per request, reused by all its fetches) and the fetch timeout.
 */
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { Fetcher } from '@apollo/utils.fetcher';
import { SHARING_CONTEXT_HEADER } from '../lib/sharingContext.ts';
import { ErrorCode } from '../lib/errors.ts';
import { SubgraphFetchError } from './subgraphFetcher.ts';
import type { SharingContextTokens } from './sharingContextTokens.ts';
import type { GatewayContext } from './requestContext.ts';

export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraphName: string,
    url: string,
    fetcher: Fetcher,
    private readonly tokens: SharingContextTokens,
    private readonly snapshotUrl: () => string,
    private readonly health: (name: string) => { healthy: boolean; since: string; detail: string } | undefined,
  ) {
    super({ url, fetcher });
  }

  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]): void | Promise<void> {
    const caller = context.caller;
    if (!caller) throw new Error('a subgraph fetch without a declared caller: the purpose check did not run');
    context.subgraphsCalled.add(this.subgraphName);
    const health = this.health(this.subgraphName);
    if (health && !health.healthy) {
      // Fail fast: the rest of the query is still answered, this department's fields get a clear error.
      // The reason (an address, a system message) is for administrators: `subgraphs` in /admin/graphql.
      throw new GraphQLError(`the ${this.subgraphName} subgraph is unavailable (since ${health.since}); its fields cannot be read now`, { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: this.subgraphName } });
    }
    context.signedContext ??= this.tokens.tokenFor({
      consumer: caller.department,
      app: caller.app,
      purpose: caller.purpose,
      caseId: caller.caseId,
      requestId: context.requestId,
      policyVersion: context.snapshot.version,
      snapshotUrl: this.snapshotUrl(),
    });
    return context.signedContext.then((token: string) => {
      request.http?.headers.set(SHARING_CONTEXT_HEADER, token);
      request.http?.headers.set('x-request-id', context.requestId);
    });
  }

  /**
   * A fetch that got no answer: the consumer learns which department's fields failed and
   * whether it was slow or down, not the subgraph's address (that is in the error's cause).
   */
  override didEncounterError(error: Error): never {
    if (error instanceof SubgraphFetchError) {
      const what = error.kind === 'timeout' ? `did not answer within ${error.timeoutMs} ms` : 'could not be reached';
      throw new GraphQLError(`the ${this.subgraphName} subgraph ${what}; its fields cannot be read now`, {
        extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: this.subgraphName },
        originalError: error,
      });
    }
    throw error;
  }
}
