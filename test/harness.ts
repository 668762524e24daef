/** Starts the whole platform for a test: every subgraph and the gateway, on free ports, private storage. */
import { loadConfig } from '../platform/config.ts';
import { startPlatform, type RunningPlatform } from '../platform/startPlatform.ts';
import { createTestStorage, type TestDialect, type TestStorage } from '../storage/testing.ts';
import type { Identity } from '../control/store/platformStore.ts';
import type { SignInSettings } from '../control/signIn/signInSettings.ts';

export interface TestPlatform extends RunningPlatform {
  readonly storage: TestStorage;
  /** POSTs a GraphQL operation to the gateway and returns status and parsed body. */
  /**
   * POSTs a GraphQL operation to the gateway as a department's demo app (default: mca, for
   * ADMINISTRATIVE_BASIS); `as: null` sends no token and no purpose.
   */
  query(query: string, options?: QueryOptions): Promise<{ status: number; body: any }>;
  /** The demo app token of a department. */
  appToken(department: string): string;
  /** Runs an operation against /admin/graphql with a token (default: the platform administrator's). */
  admin(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ status: number; body: any }>;
  /** The demo administrator token of a department. */
  adminToken(department: string): string;
  /** Runs an operation against the management API as an identity (e.g. a person's, issue 14), without a token. */
  adminAs(identity: Identity, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export interface QueryOptions {
  readonly variables?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
  readonly as?: { readonly department: string; readonly purpose?: string | null; readonly caseId?: string } | null;
}

export async function startTestPlatform(
  dialect: TestDialect,
  {
    mode = 'inprocess' as 'inprocess' | 'process', staticPolicyCheck = true, clock = undefined as (() => Date) | undefined, subgraphTimeoutMs = undefined as number | undefined,
    signIn = undefined as SignInSettings | undefined,
  } = {},
): Promise<TestPlatform> {
  const storage = createTestStorage(dialect);
  const config = {
    ...loadConfig({ DATA_DIR: storage.dataDir, PORT: '0', GOVGRAPH_SUBGRAPHS: mode, ...(subgraphTimeoutMs ? { SUBGRAPH_TIMEOUT_MS: String(subgraphTimeoutMs) } : {}) }),
    storage: storage.config,
    ...(signIn ? { signIn } : {}),
  };
  const platform = await startPlatform(config, { log: () => {}, staticPolicyCheck, ...(clock ? { clock } : {}) });
  const appToken = (department: string): string => {
    const token = platform.credentials.departments.find((d) => d.code === department)?.apps[0]?.token;
    if (!token) throw new Error(`no demo app for department ${department}`);
    return token;
  };
  return Object.assign(Object.create(null), platform, {
    storage,
    close: platform.close,
    appToken,
    adminToken: (code: string) => platform.credentials.departments.find((d) => d.code === code)!.adminToken,
    adminAs: (identity: Identity, query: string, variables: Record<string, unknown> = {}) => platform.gateway.executeAdmin(identity, query, variables),
    async admin(query: string, variables: Record<string, unknown> = {}, token = platform.credentials.platformAdminToken) {
      const res = await fetch(platform.credentials.admin, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() };
    },
    async query(query: string, options: QueryOptions = {}) {
      const as = options.as === undefined ? { department: 'mca' } : options.as;
      const identity: Record<string, string> = {};
      if (as) {
        identity.authorization = `Bearer ${appToken(as.department)}`;
        if (as.purpose !== null) identity['x-purpose'] = as.purpose ?? 'ADMINISTRATIVE_BASIS';
        if (as.caseId) identity['x-case-id'] = as.caseId;
      }
      const res = await fetch(platform.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...identity, ...options.headers },
        body: JSON.stringify({ query, variables: options.variables }),
      });
      return { status: res.status, body: await res.json() };
    },
    async stop() {
      await platform.close();
      await storage.cleanup();
    },
  }) as TestPlatform;
}
