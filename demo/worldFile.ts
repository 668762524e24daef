/**
 * Which demo world a data directory holds. `npm run seed -- --persons N` records the size it
 * seeded in `<DATA_DIR>/demo/world.json`; every later start reads it, so the samples in
 * credentials.json match what the databases hold.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../lib/privateFiles.ts';
import { DEMO_SEED } from './random.ts';
import { DEMO_SIZE, DemoWorld, type WorldSize } from './world.ts';

export function worldFilePath(dataDir: string): string {
  return join(dataDir, 'demo', 'world.json');
}

export function loadWorld(dataDir: string): DemoWorld {
  const file = worldFilePath(dataDir);
  if (!existsSync(file)) return new DemoWorld(DEMO_SIZE, DEMO_SEED);
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { seed: number; size: WorldSize };
  return new DemoWorld(saved.size, saved.seed);
}

export function saveWorld(dataDir: string, world: DemoWorld): void {
  // Not secret, but it lives under DATA_DIR, where every file is 0600 in a 0700 folder (R10).
  ensurePrivateDir(dataDir);
  ensurePrivateDir(join(dataDir, 'demo'));
  writePrivateFile(worldFilePath(dataDir), JSON.stringify({ seed: world.seed, size: world.size }, null, 2) + '\n');
}
