/** `npm start`: the whole platform on the embedded default (SQLite under DATA_DIR). */
import { loadConfig } from './config.ts';
import { startPlatform } from './startPlatform.ts';

const config = loadConfig();
const started = performance.now();
const platform = await startPlatform(config);
const { credentials } = platform;
const origin = new URL(credentials.gateway).origin;
const mca = credentials.departments.find((d) => d.code === 'mca');
const appToken = mca?.apps[0]?.token ?? '<app token>';
console.log(`
govgraph is running (${Math.round(performance.now() - started)} ms, storage: ${config.storage.kind === 'sqlite' ? `SQLite under ${config.dataDir}` : 'PostgreSQL'})

  web console       ${origin}/console   (sign in with a token below)
  GraphQL gateway   ${credentials.gateway}   (open it in a browser for GraphiQL)
  management API    ${credentials.admin}
  health            ${origin}/healthz  ·  /readyz  ·  /metrics
  subgraphs         ${Object.entries(credentials.subgraphs).map(([n, u]) => `${n} ${u}`).join('\n                    ')}

  demo tokens (all of them in ${platform.credentialsFile}):
    platform administrator (dgo)   ${credentials.platformAdminToken}
${credentials.departments.filter((d) => d.code !== 'dgo').map((d) => `    ${`${d.code} administrator`.padEnd(31)}${d.adminToken}${d.apps[0] ? `\n    ${`${d.code} app`.padEnd(31)}${d.apps[0].token}` : ''}`).join('\n')}

  try: curl -s ${credentials.gateway} -H 'content-type: application/json' \\
         -H 'authorization: Bearer ${appToken}' -H 'x-purpose: ADMINISTRATIVE_BASIS' \\
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
