/**
 * BENCHMARK ONLY. One department subgraph with no protection at all (no signed sharing
 * context, no graphql-shield): the subgraph a plain @apollo/gateway would sit on. It is the
 * same subgraph code over the same database files as the real platform's, so the benchmark
 * measures what govgraph's protection costs.
 *
 * Started only by bench/baselineStack.ts (over IPC; refuses to run otherwise), always on
 * 127.0.0.1, never seeds: the databases must already hold the demo world.
 *   argv: <subgraph name> <data dir>
 */
import { subgraphByName } from '../subgraphs/index.ts';
import { startSubgraphServer } from '../subgraphs/runtime/server.ts';

const [name, dataDir] = process.argv.slice(2);
if (!process.send || !name || !dataDir) {
  console.error('bench/baselineSubgraph.ts is started by the benchmark (npm run bench), not by hand');
  process.exit(2);
}

const running = await startSubgraphServer(subgraphByName(name), {
  storage: { kind: 'sqlite', dataDir },
  host: '127.0.0.1',
  port: 0,
  security: { mode: 'unprotected-baseline' },
  log: (message) => console.log(`[baseline ${name}] ${message}`),
});
process.send({ type: 'ready', name, url: running.url });

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await running.close();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown);
