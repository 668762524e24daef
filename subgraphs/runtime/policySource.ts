/**
 * Where a subgraph gets the policy snapshot a request is decided under: exactly the version
 * named in the gateway's signed context, fetched once from the gateway (which signed the
 * URL) and kept for the next requests. A response never mixes versions.
 *
 * The gateway identifies the subgraph by the audience of the data context it presents and
 * serves only its slice (gateway/policySnapshotSlice.ts: its own coordinates, their grants,
 * departments, purposes — R10, least privilege), so one cache per subgraph server, by version.
 */
import { PolicySnapshot, type SnapshotData } from '../../policies/snapshot.ts';
import type { SharingContextClaims } from '../../lib/sharingContext.ts';

export type SnapshotSource = (claims: SharingContextClaims, token: string) => Promise<PolicySnapshot>;

/** How many versions a subgraph keeps (requests in flight may still use an older one). */
const KEPT_VERSIONS = 4;

export function gatewaySnapshotSource(timeoutMs = 5000): SnapshotSource {
  const cache = new Map<number, Promise<PolicySnapshot>>();
  return (claims, token) => {
    const cached = cache.get(claims.policyVersion);
    if (cached) return cached;
    const loading = (async () => {
      const url = new URL(claims.snapshotUrl);
      url.searchParams.set('version', String(claims.policyVersion));
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`policy snapshot ${claims.policyVersion} from ${url.origin}: HTTP ${res.status} ${await res.text()}`);
      const data = (await res.json()) as SnapshotData;
      if (data.version !== claims.policyVersion) throw new Error(`asked for policy version ${claims.policyVersion}, the gateway sent ${data.version}`);
      return new PolicySnapshot(data);
    })();
    cache.set(claims.policyVersion, loading);
    // A failed fetch must not stick: the next request tries again.
    loading.catch(() => cache.delete(claims.policyVersion));
    while (cache.size > KEPT_VERSIONS) cache.delete(cache.keys().next().value!);
    return loading;
  };
}
