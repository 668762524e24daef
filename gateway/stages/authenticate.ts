/**
 * Stage 1 of a data request (gateway/pipeline.ts), before Apollo runs: the bearer token names
 * an app of a department (R10: identity authentication). No token or an unknown one: 401;
 * an administrator's token: 403 — administrators work in /admin/graphql. Refused here, a
 * request reads nothing and has no audit record.
 *
 * The token lookup itself (hashed tokens, a short cache) is the directory's:
 * control/directory/authenticator.ts.
 */
import type { IncomingMessage } from 'node:http';
import { requireAppIdentity, type Authenticator } from '../../control/directory/authenticator.ts';
import type { Identity } from '../../control/store/platformStore.ts';

export type AppAuthentication = (req: IncomingMessage) => Promise<Identity>;

export function authenticateApp(authenticator: Authenticator): AppAuthentication {
  return async (req) => requireAppIdentity(await authenticator.authenticate(req.headers.authorization));
}
