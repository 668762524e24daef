/** Starts the whole platform for a test: every subgraph and the gateway, on free ports, private storage. */
import { loadConfig } from '../gateway/config.ts';
import { startPlatform, type RunningPlatform } from '../gateway/platform.ts';
import { createTestStorage, type TestDialect, type TestStorage } from '../storage/testing.ts';

export interface TestPlatform extends RunningPlatform {
  readonly storage: TestStorage;
  /** POSTs a GraphQL operation to the gateway and returns status and parsed body. */
  query(query: string, options?: { variables?: Record<string, unknown>; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startTestPlatform(dialect: TestDialect, { mode = 'inprocess' as 'inprocess' | 'process' } = {}): Promise<TestPlatform> {
  const storage = createTestStorage(dialect);
  const config = {
    ...loadConfig({ DATA_DIR: storage.dataDir, PORT: '0', GOVGRAPH_SUBGRAPHS: mode }),
    storage: storage.config,
  };
  const platform = await startPlatform(config, { log: () => {} });
  return Object.assign(Object.create(null), platform, {
    storage,
    close: platform.close,
    async query(query: string, options: { variables?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
      const res = await fetch(platform.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
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
