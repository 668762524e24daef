/**
 * BENCHMARK ONLY. The baseline stack: every department subgraph unprotected, each in its own
 * process (as `GOVGRAPH_SUBGRAPHS=process` runs govgraph's), behind a PLAIN @apollo/gateway —
 * `RemoteGraphQLDataSource`, `ApolloServer({ gateway })`, `startStandaloneServer`, no
 * plugins, no authentication, no policy.
 *
 * Started by bench/stacks.ts over IPC (refuses to run otherwise); reports
 * `{ type: 'ready', url, subgraphs, supergraphSdl }` to its parent once it answers. Stops its
 * subgraphs on SIGTERM / SIGINT or when the parent goes away.
 *   argv: <data dir>
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { composeSupergraph, type SubgraphEndpoint } from './supergraph.ts';
import { keepApolloOffline, offlinePlugins } from '../lib/offline.ts';

const dataDir = process.argv[2];
if (!process.send || !dataDir) {
  console.error('bench/baselineStack.ts is started by the benchmark (npm run bench), not by hand');
  process.exit(2);
}

const SUBGRAPH_ENTRY = fileURLToPath(new URL('./baselineSubgraph.ts', import.meta.url));
const START_TIMEOUT_MS = 120_000;
const children: ChildProcess[] = [];

function startSubgraph(name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = fork(SUBGRAPH_ENTRY, [name, dataDir!], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    const timer = setTimeout(() => reject(new Error(`baseline subgraph ${name} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baseline subgraph ${name} exited with code ${code} before it was ready`));
    });
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message.type !== 'ready' || !message.url) return;
      clearTimeout(timer);
      resolve(message.url);
    });
  });
}

async function stopChildren(): Promise<void> {
  await Promise.all(children.map((child) => new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  })));
}

let server: ApolloServer | undefined;
let closing = false;
const shutdown = async (code: number) => {
  if (closing) return;
  closing = true;
  try {
    await server?.stop();
  } finally {
    await stopChildren();
    process.exit(code);
  }
};
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
process.on('disconnect', () => void shutdown(0));

try {
  const urls = await Promise.all(SUBGRAPHS.map((definition) => startSubgraph(definition.name)));
  const endpoints: SubgraphEndpoint[] = SUBGRAPHS.map((definition, i) => ({ name: definition.name, url: urls[i]!, typeDefs: definition.typeDefs }));
  const supergraphSdl = composeSupergraph(endpoints);
  // Offline like govgraph: on a government network the telemetry would go nowhere anyway.
  keepApolloOffline();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) => new RemoteGraphQLDataSource({ url }),
  });
  server = new ApolloServer({ gateway, plugins: offlinePlugins() });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  // The supergraph goes to the harness too: Hive Gateway (bench/stacks.ts) serves the same one
  // over these same subgraph processes.
  process.send({ type: 'ready', url, subgraphs: Object.fromEntries(endpoints.map((e) => [e.name, e.url])), supergraphSdl });
} catch (error) {
  console.error(`baseline stack did not start: ${(error as Error).stack ?? String(error)}`);
  await shutdown(1);
}
