/** `npm start`: the whole platform on the embedded default (SQLite under DATA_DIR). */
import { loadConfig } from './config.ts';
import { startPlatform } from './platform.ts';

const config = loadConfig();
const started = performance.now();
const platform = await startPlatform(config);
const { credentials } = platform;
console.log(`
govgraph is running (${Math.round(performance.now() - started)} ms, storage: ${config.storage.kind === 'sqlite' ? `SQLite under ${config.dataDir}` : 'PostgreSQL'})

  GraphQL gateway   ${credentials.gateway}   (open it in a browser for GraphiQL)
  health            ${credentials.gateway.replace(/\/graphql$/, '/healthz')}  ·  /readyz  ·  /metrics
  subgraphs         ${Object.entries(credentials.subgraphs).map(([n, u]) => `${n} ${u}`).join('\n                    ')}
  credentials       ${platform.credentialsFile}

  try: curl -s ${credentials.gateway} -H 'content-type: application/json' \\
         -d '{"query":"{ legalEntity(creditCode: \\"${credentials.samples.legalEntities[0]}\\") { name legalRepresentative { name } } }"}'

Ctrl-C stops everything.`);

let stopping = false;
const stop = async (signal: string) => {
  // A second Ctrl-C does not wait.
  if (stopping) process.exit(130);
  stopping = true;
  console.log(`\n${signal}: stopping govgraph…`);
  // Requests in flight get a few seconds; a stop never hangs.
  setTimeout(() => process.exit(1), 10_000).unref();
  await platform.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
// Started by another program (the benchmark, a supervisor) that has gone: do not linger.
process.on('disconnect', () => void stop('parent gone'));
