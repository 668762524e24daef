/**
 * Asks each department's subgraph when its resources last changed: `GET /freshness` with a
 * context signed by the gateway for that one subgraph, of scope `freshness` (R10): subgraphs
 * accept it at `/freshness` only, so replayed at `/graphql`, or at another subgraph, it reads
 * nothing.
 */
import type { KeyObject } from 'node:crypto';
import { SHARING_CONTEXT_HEADER, signFreshnessContext, type ContextSigner } from '../../lib/sharingContext.ts';
import type { Freshness } from '../../subgraphs/runtime/definition.ts';
import { subgraphHttp, type SubgraphHttp } from '../../lib/tlsLinks.ts';

/** Type name → ISO timestamp of the last change, per subgraph. */
export type FreshnessSource = (subgraph: string) => Promise<Freshness>;

export interface FreshnessEndpoint {
  readonly name: string;
  /** The subgraph's `/graphql` URL; `/freshness` is beside it. */
  readonly url: string;
}

/** @default 3000 ms per subgraph */
export const FRESHNESS_TIMEOUT_MS = 3000;

/** `endpoints`: the subgraphs' current addresses (the registry's, which may change at run time). */
export function httpFreshnessSource(endpoints: readonly FreshnessEndpoint[] | (() => readonly FreshnessEndpoint[]), signer: KeyObject | (() => ContextSigner), timeoutMs = FRESHNESS_TIMEOUT_MS, http: SubgraphHttp = subgraphHttp()): FreshnessSource {
  return async (subgraph) => {
    const endpoint = (typeof endpoints === 'function' ? endpoints() : endpoints).find((e) => e.name === subgraph);
    if (!endpoint) throw new Error(`no endpoint for subgraph ${subgraph}`);
    const url = endpoint.url.replace(/\/graphql$/, '/freshness');
    const token = await signFreshnessContext(typeof signer === 'function' ? signer() : signer, subgraph);
    const res = await http(url, { headers: { [SHARING_CONTEXT_HEADER]: token }, timeoutMs });
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    const body = (await res.json()) as { resources?: Freshness };
    if (!body.resources || typeof body.resources !== 'object') throw new Error(`GET ${url}: no "resources" in the answer`);
    return body.resources;
  };
}
