/**
 * The CLI's connection to the management API: URL and token from flags, the environment
 * (GOVGRAPH_ADMIN_URL, GOVGRAPH_TOKEN) or, for the demo, `--as <department>` read from
 * DATA_DIR/demo/credentials.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface AdminClient {
  request<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export class CliError extends Error {}

export function adminClient(flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv = process.env): AdminClient {
  const credentialsFile = join(resolve(env.DATA_DIR || './data'), 'demo', 'credentials.json');
  const credentials = existsSync(credentialsFile) ? JSON.parse(readFileSync(credentialsFile, 'utf8')) : null;
  const url = (flags['admin-url'] as string | undefined) ?? env.GOVGRAPH_ADMIN_URL ?? credentials?.admin;
  let token = (flags.token as string | undefined) ?? env.GOVGRAPH_TOKEN;
  const as = flags.as as string | undefined;
  if (!token && as && credentials) {
    if (as === 'platform' || as === 'dgo-platform') token = credentials.platformAdminToken;
    else {
      const [code, kind] = as.split(':');
      const department = credentials.departments.find((d: { code: string }) => d.code === code);
      if (!department) throw new CliError(`--as ${as}: no department ${code} in ${credentialsFile}`);
      token = kind === 'app' ? department.apps[0]?.token : department.adminToken;
    }
  }
  if (!url) throw new CliError('no management API URL: pass --admin-url, set GOVGRAPH_ADMIN_URL, or start the platform (npm start) so data/demo/credentials.json exists');
  if (!token) throw new CliError('no token: pass --token, set GOVGRAPH_TOKEN, or for the demo --as <department>[:app] / --as platform');
  return {
    async request(query, variables = {}) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
      if (body.errors?.length) throw new CliError(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('\n'));
      return body.data;
    },
  };
}
