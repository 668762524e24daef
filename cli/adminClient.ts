/**
 * The CLI's connection to the management API: URL and token from flags, the environment
 * (GOVGRAPH_ADMIN_URL, GOVGRAPH_TOKEN) or, for the demo, `--as <department>` read from
 * DATA_DIR/demo/credentials.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cliLanguage } from './help.ts';

export interface AdminClient {
  request<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export class CliError extends Error {}

const zh = (env: NodeJS.ProcessEnv) => cliLanguage(env) === 'zh';

/** The server's messages in the terminal's language (the API answers English when none is asked). */
const acceptLanguage = (env: NodeJS.ProcessEnv) => (zh(env) ? 'zh-CN' : 'en');

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
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-language': acceptLanguage(env) }, body: JSON.stringify({ query, variables }) });
      } catch (error) {
        // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is its cause.
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message ?? (error as Error).message;
        throw new CliError(zh(env)
          ? `无法连接管理接口 ${url} — 平台是否已启动?(npm start,或用 --admin-url / GOVGRAPH_ADMIN_URL 指定地址;${why})`
          : `cannot reach the management API at ${url} — is the platform running? (npm start, or point --admin-url / GOVGRAPH_ADMIN_URL at it; ${why})`);
      }
      const text = await res.text();
      let body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new CliError(zh(env)
          ? `${url} 返回的不是管理接口的应答(HTTP ${res.status}):${text.slice(0, 120)}`
          : `${url} did not answer as the management API (HTTP ${res.status}): ${text.slice(0, 120)}`);
      }
      if (body.errors?.length) throw new CliError(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('\n'));
      return body.data;
    },
  };
}
