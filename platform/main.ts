/**
 * `npm start`: the whole platform on the embedded default (SQLite under DATA_DIR).
 *
 * Two streams (issue 16): stdout carries the start-up banner below — URLs, demo tokens and
 * accounts, for the person at the terminal — and nothing else; stderr carries the operational
 * log, JSON lines (lib/logger.ts), this process's and its subgraph processes'. Collect stderr
 * (`npm start 2>>govgraph.log`); the banner's tokens never reach the log.
 */
import { loadConfig } from './config.ts';
import { startPlatform } from './startPlatform.ts';
import { createLogger, setDefaultLogger } from '../lib/logger.ts';
import { startTracing } from '../lib/tracing.ts';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, base: { service: 'gateway' } });
setDefaultLogger(logger);
// Off unless an OTLP endpoint is configured (lib/tracing.ts); the subgraph processes read the same setting.
const tracing = startTracing(config.tracing, 'govgraph-gateway');
const started = performance.now();
const platform = await startPlatform(config, { logger });
const { credentials } = platform;
const origin = new URL(credentials.gateway).origin;
const mca = credentials.departments.find((d) => d.code === 'mca');
const appToken = mca?.apps[0]?.token ?? '<app token>';
console.log(`
govgraph is running (${Math.round(performance.now() - started)} ms, storage: ${config.storage.kind === 'sqlite' ? `SQLite under ${config.dataDir}` : 'PostgreSQL'})

  web console       ${origin}/console   (sign in with an account or a token below)
  GraphQL gateway   ${credentials.gateway}   (open it in a browser for GraphiQL)
  management API    ${credentials.admin}
  health            ${origin}/healthz  ·  /readyz  ·  /metrics
  subgraphs         ${Object.entries(credentials.subgraphs).map(([n, u]) => `${n} ${u}`).join('\n                    ')}

  demo tokens (all of them in ${platform.credentialsFile}):
    platform administrator (dgo)   ${credentials.platformAdminToken}
${credentials.departments.filter((d) => d.code !== 'dgo').map((d) => `    ${`${d.code} administrator`.padEnd(31)}${d.adminToken}${d.apps[0] ? `\n    ${`${d.code} app`.padEnd(31)}${d.apps[0].token}` : ''}`).join('\n')}

  demo accounts (username / password, then the 6-digit code of the TOTP secret; all in ${platform.demoAccountsFile}):
${platform.demoAccounts.map((a) => `    ${`${a.department} ${a.role.toLowerCase()} ${a.name}`.padEnd(28)}${a.username.padEnd(14)}${a.password}   TOTP ${a.totpSecret}\n      ${a.totpUri}`).join('\n')}

  try: curl -s ${credentials.gateway} -H 'content-type: application/json' \\
         -H 'authorization: Bearer ${appToken}' -H 'x-purpose: ADMINISTRATIVE_BASIS' \\
         -d '{"query":"{ legalEntity(creditCode: \\"${credentials.samples.legalEntities[0]}\\") { name legalRepresentative { name } } }"}'

Ctrl-C stops everything.`);

/**
 * Graceful shutdown (issue 15), once per process: on SIGTERM (or Ctrl-C) readiness goes 503 and
 * new connections are refused at once, requests in flight get GOVGRAPH_SHUTDOWN_GRACE_MS to
 * finish (their audit records committed before their answers, as always), the audit trail is
 * closed with a signed checkpoint, and the process exits 0. A second Ctrl-C does not wait.
 */
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) {
    if (signal === 'SIGINT') process.exit(130);
    return;
  }
  stopping = true;
  logger.info({ signal, graceMs: config.shutdownGraceMs }, 'stopping govgraph: requests in flight are finishing');
  // A stop never hangs: the grace, then a few seconds for the audit trail's last checkpoint.
  setTimeout(() => {
    logger.error('govgraph did not stop in time; exiting');
    process.exit(1);
  }, config.shutdownGraceMs + 10_000).unref();
  try {
    await platform.close(config.shutdownGraceMs);
  } catch (error) {
    logger.error({ err: error }, 'stopping failed');
    process.exit(1);
  }
  await tracing.shutdown().catch(() => {});
  logger.info('govgraph stopped: the audit trail is closed with a checkpoint');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
// Started by another program (the benchmark, a supervisor) that has gone: do not linger.
process.on('disconnect', () => void stop('parent gone'));
