/**
 * What the gateway knows about one request, from authentication to audit. Created per HTTP
 * request; the policy snapshot is pinned when the request starts, so every decision of the
 * request — at the gateway and in the subgraphs — uses the same version.
 */
import type { BaseContext } from '@apollo/server';
import type { Caller } from '../policies/model.ts';
import type { PolicySnapshot } from '../policies/snapshot.ts';
import type { Identity } from '../control/store/platformStore.ts';

export interface GatewayContext extends BaseContext {
  readonly requestId: string;
  readonly identity: Identity;
  readonly snapshot: PolicySnapshot;
  /** Set once the declared purpose is checked (data operations only). */
  caller: Caller | null;
  /** The sharing context token for subgraph fetches, signed at most once per request. */
  signedContext: Promise<string> | null;
  /** Subgraphs this request fetched from (filled by the data source), for the audit trail. */
  readonly subgraphsCalled: Set<string>;
  /** Filled by the policy check for the audit trail. */
  readonly access: {
    requested: readonly string[];
    denied: readonly string[];
    grantsUsed: readonly string[];
  };
}
