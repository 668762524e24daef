/**
 * Runs one department's subgraph on its own, as the department would:
 *   tsx subgraphs/runtime/main.ts population
 * Honours PORT (default: a free port), HOST, DATA_DIR and DATABASE_URL. When started by the
 * platform (an IPC channel exists) it reports its URL to the parent once it is listening.
 *
 * Keys: the platform's published key set (to verify contexts: GOVGRAPH_JWKS_URL, see
 * contextKeys.ts; the launcher also tells its children the URL once the gateway listens), and this subgraph's
 * context MAC key K_s (lib/contextMac.ts) from GOVGRAPH_SUBGRAPH_MAC_KEY (base64), which the
 * platform's launcher sets for each child — each subgraph gets only its own. Run by hand on
 * the platform's machine without it, the subgraph derives K_s from the gateway's private key
 * under DATA_DIR/keys, if it can read it; a department's own host has no such file and must be
 * given its key.
 */
import { loadSubgraphConfig } from './config.ts';
import { loadWorld } from '../../demo/worldFile.ts';
import { subgraphByName } from '../index.ts';
import { startSubgraphServer } from './server.ts';
import { platformSecretSealer } from '../../lib/platformKeys.ts';
import { loadPrivateKey } from '../../lib/sharingContext.ts';
import { contextKeysFromEnvironment } from './contextKeys.ts';
import { deriveSubgraphMacKey, parseMacKey, SUBGRAPH_MAC_KEY_ENV } from '../../lib/contextMac.ts';
import { createLogger, setDefaultLogger } from '../../lib/logger.ts';
import { startTracing } from '../../lib/tracing.ts';

const name = process.argv[2];
if (!name) {
  console.error('usage: tsx subgraphs/runtime/main.ts <subgraph name>');
  process.exit(2);
}
const config = loadSubgraphConfig();
// JSON lines on stderr (lib/logger.ts); traces only when an OTLP endpoint is configured (lib/tracing.ts).
const logger = createLogger({ level: config.logLevel, base: { service: `subgraph-${name}` } });
setDefaultLogger(logger);
const tracing = startTracing(config.tracing, `govgraph-subgraph-${name}`);
const macKeyBase64 = process.env[SUBGRAPH_MAC_KEY_ENV];
// Out of the environment once read: nothing this process starts inherits it.
delete process.env[SUBGRAPH_MAC_KEY_ENV];
const macKey = macKeyBase64 ? parseMacKey(macKeyBase64) : deriveSubgraphMacKey(loadPrivateKey(config.dataDir), name);
const contextKeys = contextKeysFromEnvironment(process.env, config.dataDir);
// The launcher names the gateway's key set URL once the gateway listens (it starts after us).
process.on('message', (message: { type?: string; url?: string }) => {
  if (message?.type === 'jwks-url' && typeof message.url === 'string') contextKeys.useJwksUrl(message.url);
});
// A launcher gone while we are still starting (seeding can take a while): nothing to close yet.
const goneWhileStarting = () => process.exit(0);
process.on('disconnect', goneWhileStarting);
const running = await startSubgraphServer(subgraphByName(name), {
  storage: config.storage,
  host: config.host,
  port: config.port,
  world: loadWorld(config.dataDir),
  // R10: only a subgraph that stores secrets (licences: private seal keys) gets the platform key.
  ...(subgraphByName(name).sealSecretsAtRest ? { secrets: platformSecretSealer(config.platformKey) } : {}),
  security: { mode: 'enforced', publicKey: contextKeys, macKey },
  tls: config.tls,
});
process.off('disconnect', goneWhileStarting);
// The parent may be gone already (stopped during start): then there is no one to tell.
if (process.send && process.connected) process.send({ type: 'ready', name, url: running.url }, () => {});
else logger.info({ url: running.url }, 'serving');

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await running.close();
  // The last spans are sent before the process ends.
  await tracing.shutdown().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// The platform that started us is gone: do not linger as an orphan.
process.on('disconnect', shutdown);
