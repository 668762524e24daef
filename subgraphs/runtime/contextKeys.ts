/**
 * Which keys a department's subgraph process trusts for the gateway's sharing contexts (issue
 * 15, R10): the platform's published key set, never a key of one machine.
 *
 * - `GOVGRAPH_JWKS_URL`: the platform's `/.well-known/jwks.json` (a gateway, or the load
 *   balancer in front of the replicas): fetched, cached, fetched again when a context names a
 *   kid not seen yet — at most once a second, so made-up kids cannot flood the gateway.
 * - `GOVGRAPH_CONTEXT_JWKS`: the key set itself, as JSON (what the all-in-one launcher hands its
 *   children before the gateway listens; it tells them the URL once it does).
 * - neither: the public key file an older platform kept under `DATA_DIR/keys` (run by hand on
 *   the platform's machine).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eitherKeySet, publishedKeys, remoteKeySet, staticKeySet, type PublishedKeySet } from '../../lib/publishedKeySet.ts';
import { loadPublicKey, PUBLIC_KEY_FILE } from '../../lib/sharingContext.ts';

export const JWKS_URL_ENV = 'GOVGRAPH_JWKS_URL';
export const CONTEXT_JWKS_ENV = 'GOVGRAPH_CONTEXT_JWKS';

/** A key set that can learn the platform's JWKS URL after it started (the launcher's message). */
export interface SubgraphKeySet extends PublishedKeySet {
  useJwksUrl(url: string): void;
}

export function contextKeysFromEnvironment(env: NodeJS.ProcessEnv, dataDir: string): SubgraphKeySet {
  let given: PublishedKeySet | null = null;
  const json = env[CONTEXT_JWKS_ENV];
  if (json) {
    try {
      given = staticKeySet(publishedKeys(JSON.parse(json)));
    } catch (error) {
      throw new Error(`${CONTEXT_JWKS_ENV} must be a JWKS (JSON { "keys": [ … ] }): ${(error as Error).message}`);
    }
  }
  let remote: PublishedKeySet | null = null;
  let remoteUrl: string | null = null;
  const useJwksUrl = (url: string) => {
    if (url === remoteUrl) return;
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${JWKS_URL_ENV} must be an http(s) URL, received ${JSON.stringify(url)}`);
    remoteUrl = url;
    remote = remoteKeySet(parsed);
  };
  if (env[JWKS_URL_ENV]) useJwksUrl(env[JWKS_URL_ENV]!);
  if (!given && !remote) {
    if (!existsSync(join(dataDir, 'keys', PUBLIC_KEY_FILE))) {
      throw new Error(`no key set to verify the gateway's contexts with: set ${JWKS_URL_ENV} to the platform's ${'/.well-known/jwks.json'} (e.g. http://gateway:4000/.well-known/jwks.json)`);
    }
    given = staticKeySet([loadPublicKey(dataDir)]);
  }
  return {
    useJwksUrl,
    key(kid) {
      const now: PublishedKeySet | null = given && remote ? eitherKeySet(given, remote) : given ?? remote;
      return now!.key(kid);
    },
  };
}
