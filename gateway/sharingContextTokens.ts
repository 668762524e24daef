/**
 * Signed sharing contexts, reused while they are fresh. A context names the consumer, app,
 * purpose, case and policy version; every request with the same five carries the same token
 * for up to half its lifetime, so the gateway signs — and each subgraph verifies — once per
 * caller and version every half minute instead of once per request (Ed25519 through jose costs
 * ~0.25 ms to sign and ~0.3 ms to verify here). Reuse adds no exposure: a token is replayable
 * within its lifetime either way, and the request id travels beside it in `x-request-id`.
 */
import type { KeyObject } from 'node:crypto';
import { SHARING_CONTEXT_TTL_SECONDS, signSharingContext, type SharingContextClaims } from '../lib/sharingContext.ts';

const CACHE_LIMIT = 5000;

export class SharingContextTokens {
  private readonly cache = new Map<string, { token: Promise<string>; renewAt: number }>();

  constructor(private readonly privateKey: KeyObject, private readonly ttlSeconds = SHARING_CONTEXT_TTL_SECONDS) {}

  tokenFor(claims: SharingContextClaims): Promise<string> {
    const key = [claims.consumer, claims.app, claims.purpose, claims.caseId ?? '', claims.policyVersion, claims.snapshotUrl].join('\u0000');
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.renewAt > now) return cached.token;
    // The first request's id names the token; later requests send their own in x-request-id.
    const token = signSharingContext(this.privateKey, claims, this.ttlSeconds);
    this.cache.set(key, { token, renewAt: now + (this.ttlSeconds * 1000) / 2 });
    token.catch(() => this.cache.delete(key));
    if (this.cache.size > CACHE_LIMIT) {
      for (const [k, v] of this.cache) if (v.renewAt <= now) this.cache.delete(k);
      if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    }
    return token;
  }
}
