/**
 * `npm run seed -- [--persons N] [--legal-entities N] [--parcels N]`: rebuilds every
 * department's database with a demo world of the given size (default: the demo size),
 * records the size in DATA_DIR/demo/world.json so `npm start` serves matching samples, and
 * prints the time and the database sizes.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { databaseSize, dropDatabase, openDatabase } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import { DEMO_SIZE, DemoWorld } from '../demo/world.ts';
import { DEMO_SEED } from '../demo/random.ts';
import { saveWorld } from '../demo/worldFile.ts';
import { platformSecretSealer } from '../lib/platformKeys.ts';
import type { DocumentSealer } from '../lib/electronicSeal.ts';
import { SealKeyRegistry } from '../control/seals/sealKeyRegistry.ts';
import { platformMigrations } from '../control/store/migrations.ts';
import { PlatformStore, type PlatformDatabase } from '../control/store/platformStore.ts';
import { seedDemoDepartments } from './demoSeed.ts';

function count(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, received ${JSON.stringify(value)}`);
  return n;
}

const { values } = parseArgs({
  options: {
    persons: { type: 'string' },
    'legal-entities': { type: 'string' },
    parcels: { type: 'string' },
    only: { type: 'string' },
  },
});
const persons = count(values.persons, 'persons', DEMO_SIZE.persons);
// Unless told otherwise, the other kinds grow with the population in the demo's proportions.
const scale = persons / DEMO_SIZE.persons;
const world = new DemoWorld(
  {
    persons,
    legalEntities: count(values['legal-entities'], 'legal-entities', Math.max(5, Math.round(DEMO_SIZE.legalEntities * scale))),
    parcels: count(values.parcels, 'parcels', Math.max(5, Math.round(DEMO_SIZE.parcels * scale))),
  },
  DEMO_SEED,
);
const config = loadConfig();
// R10: seeds encrypt the secrets they write (licences: issuers' private seal keys).
const secrets = platformSecretSealer(config.platformKey);
/** R12: the issuer seal-key registry's demo sealer, over the platform store (migrated, its departments seeded). */
let sealer: DocumentSealer | undefined;
let closePlatformDb: (() => Promise<void>) | undefined;
async function demoSealer(): Promise<DocumentSealer> {
  if (sealer) return sealer;
  const platformDb = await openDatabase<PlatformDatabase>(config.storage, 'platform');
  await migrateToLatest(platformDb.db, platformMigrations, 'platform', platformDb.schema);
  const store = new PlatformStore(platformDb.db, secrets);
  if (!(await store.hasDepartments())) await seedDemoDepartments(store);
  closePlatformDb = () => platformDb.close();
  sealer = new SealKeyRegistry(platformDb.db, secrets).demoSealer();
  return sealer;
}
const only = values.only ? new Set(values.only.split(',')) : null;
console.log(`seeding ${JSON.stringify(world.size)} into ${config.storage.kind === 'sqlite' ? config.dataDir : 'PostgreSQL'}`);
const total = performance.now();
const report: Record<string, { seconds: number; bytes: number; rows: Readonly<Record<string, number>> }> = {};
for (const definition of SUBGRAPHS) {
  if (only && !only.has(definition.name)) continue;
  const started = performance.now();
  await dropDatabase(config.storage, definition.name);
  const opened = await openDatabase<any>(config.storage, definition.name);
  try {
    await migrateToLatest(opened.db, definition.migrations, definition.name, opened.schema);
    const { rows } = await definition.seed(opened.db, world, { secrets, ...(definition.sealsDocuments ? { seals: await demoSealer() } : {}) });
    report[definition.name] = { seconds: (performance.now() - started) / 1000, bytes: 0, rows };
  } finally {
    await opened.close();
  }
  report[definition.name]!.bytes = await databaseSize(config.storage, definition.name);
  const r = report[definition.name]!;
  console.log(`  ${definition.name.padEnd(20)} ${r.seconds.toFixed(1).padStart(7)} s ${(r.bytes / 1048576).toFixed(1).padStart(9)} MiB  ${Object.entries(r.rows).map(([t, n]) => `${n} ${t}`).join(', ')}`);
}
await closePlatformDb?.();
saveWorld(config.dataDir, world);
const bytes = Object.values(report).reduce((sum, r) => sum + r.bytes, 0);
console.log(`done in ${((performance.now() - total) / 1000).toFixed(1)} s, ${(bytes / 1048576).toFixed(1)} MiB in all`);
