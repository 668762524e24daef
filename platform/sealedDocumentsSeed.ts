/**
 * The demo's sealed documents (R12): a subgraph whose seed seals (licences) is seeded by the
 * platform, before the subgraph starts, with the issuer seal-key registry's demo sealer — the
 * registry and its private keys are the platform's, and a department's subgraph process runs
 * with no platform code. A database sealed by an older version (Ed25519) is re-sealed with SM2.
 */
import type { DemoWorld } from '../demo/world.ts';
import { SealKeyRegistry } from '../control/seals/sealKeyRegistry.ts';
import type { PlatformStore } from '../control/store/platformStore.ts';
import { openDatabase, type StorageConfig } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import type { SubgraphDefinition } from '../subgraphs/runtime/definition.ts';

/** Seeds (or re-seals) each definition that seals documents; returns rows written per subgraph. */
export async function seedSealedDocuments(storage: StorageConfig, world: DemoWorld, store: PlatformStore, definitions: readonly SubgraphDefinition[]): Promise<Record<string, number>> {
  if (!store.secrets) throw new Error('sealing the demo\'s documents needs the platform key (the registry\'s private keys are encrypted under it)');
  const sealer = new SealKeyRegistry(store.db, store.secrets).demoSealer();
  const written: Record<string, number> = {};
  for (const definition of definitions.filter((d) => d.sealsDocuments)) {
    const opened = await openDatabase<any>(storage, definition.name);
    try {
      await migrateToLatest(opened.db, definition.migrations, definition.name, opened.schema);
      if (await definition.isSeeded(opened.db)) continue;
      const report = await definition.seed(opened.db, world, { seals: sealer, ...(store.secrets ? { secrets: store.secrets } : {}) });
      written[definition.name] = Object.values(report.rows).reduce((a, b) => a + b, 0);
    } finally {
      await opened.close();
    }
  }
  return written;
}
