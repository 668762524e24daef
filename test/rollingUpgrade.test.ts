/**
 * Issue 16, rolling upgrades: during an upgrade the previous release's gateways keep serving on
 * the store the new release's `govgraph migrate` has changed (migrations are expand-then-contract:
 * control/store/migrations.ts).
 *
 * - in this process: the store gets a next release's migration (an added table and nullable
 *   column); this release's gateway replica still starts on it and answers beside the running
 *   gateway, and this release's `govgraph migrate` finds nothing to do. An unknown migration that
 *   sorts among this release's own (another branch's, not a newer release's) is still refused.
 * - from git history: the previous release (the newest `release-*` tag reachable from HEAD, or
 *   the commit in GOVGRAPH_PREVIOUS_RELEASE) is extracted with `git archive` and its
 *   `govgraph gateway` started on the store this release migrated; both gateways answer the same
 *   read. Skipped, with the reason, when there is no git history or no such release.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';
import { loadConfig, type PlatformConfig } from '../platform/config.ts';
import { startGatewayReplica, type RunningReplica } from '../platform/startPlatform.ts';
import { runMigrate } from '../platform/processCommands.ts';
import { openDatabase } from '../storage/database.ts';
import { migrateToLatest, type Migrations } from '../storage/migrate.ts';
import { platformMigrations } from '../control/store/migrations.ts';
import { testDialects } from '../storage/testing.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PERSON_QUERY = 'query($id: ID!) { person(idNumber: $id) { name householdAddress } }';

/** What a next release's `govgraph migrate` adds: expand only (a table, a nullable column). */
const NEXT_RELEASE: Migrations = {
  '999_next_release_expand': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('next_release_notes').addColumn('id', 'text', (c) => c.primaryKey()).execute();
      await db.schema.alterTable('departments').addColumn('next_release_note', 'text').execute();
    },
  },
};

async function applyToPlatformStore(config: PlatformConfig, migrations: Migrations): Promise<string[]> {
  const store = await openDatabase<any>(config.storage, 'platform');
  try {
    return await migrateToLatest(store.db, { ...platformMigrations, ...migrations }, 'platform', store.schema);
  } finally {
    await store.close();
  }
}

async function readPerson(gatewayUrl: string, platform: TestPlatform): Promise<{ status: number; body: any }> {
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.appToken('mca')}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' },
    body: JSON.stringify({ query: PERSON_QUERY, variables: { id: platform.credentials.samples.persons[0] } }),
  });
  return { status: res.status, body: await res.json() };
}

function configOf(platform: TestPlatform): PlatformConfig {
  return { ...loadConfig({ DATA_DIR: platform.storage.dataDir, PORT: '0' }), storage: platform.storage.config };
}

describe.each(testDialects())('a gateway beside a newer release\'s migrations (%s)', (dialect) => {
  let platform: TestPlatform;
  let replica: RunningReplica | undefined;

  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
  }, 300_000);
  afterAll(async () => {
    await replica?.close();
    await platform?.close();
    await platform?.storage.cleanup();
  });

  it('this release\'s replica starts on a store a newer release expanded, and answers beside the running gateway', async () => {
    const config = configOf(platform);
    expect(await applyToPlatformStore(config, NEXT_RELEASE)).toEqual(['999_next_release_expand']);
    replica = await startGatewayReplica(config, { log: () => {} });
    for (const url of [platform.gateway.url, replica.gateway.url]) {
      const { status, body } = await readPerson(url, platform);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.person.householdAddress).toBeTruthy();
    }
    // This release's `govgraph migrate` on the newer store: nothing to do, nothing refused.
    const report = await runMigrate(config);
    expect(report.applied.platform).toEqual([]);
  });

  it('a migration that is not a newer release\'s (it sorts among this release\'s own) is still refused', async () => {
    const config = configOf(platform);
    const store = await openDatabase<any>(config.storage, 'platform');
    try {
      // Another branch's migration, recorded as applied, between two of this release's.
      await sql`INSERT INTO ${sql.table(store.schema ? `${store.schema}.kysely_migration` : 'kysely_migration')} (name, timestamp) VALUES ('0155_another_branch', ${new Date().toISOString()})`.execute(store.db);
      await expect(startGatewayReplica(config, { log: () => {} })).rejects.toThrow(/0155_another_branch is missing/);
      await sql`DELETE FROM ${sql.table(store.schema ? `${store.schema}.kysely_migration` : 'kysely_migration')} WHERE name = '0155_another_branch'`.execute(store.db);
    } finally {
      await store.close();
    }
    // Positive control: without it the replica starts again.
    const again = await startGatewayReplica(config, { log: () => {} });
    await again.close();
  });
});

/** The previous release's commit: GOVGRAPH_PREVIOUS_RELEASE, or the newest release-* tag reachable from HEAD; why not, otherwise. */
function previousRelease(): { commit: string } | { skip: string } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  try {
    git('rev-parse', '--verify', 'HEAD');
  } catch {
    return { skip: 'no git history here' };
  }
  const given = process.env.GOVGRAPH_PREVIOUS_RELEASE;
  if (given) {
    try {
      return { commit: git('rev-parse', '--verify', `${given}^{commit}`) };
    } catch {
      return { skip: `GOVGRAPH_PREVIOUS_RELEASE=${given} names no commit here` };
    }
  }
  const tag = git('tag', '--list', 'release-*', '--merged', 'HEAD', '--sort=-creatordate').split('\n').find(Boolean);
  if (!tag) return { skip: 'no release-* tag reachable from HEAD (tag each release; or set GOVGRAPH_PREVIOUS_RELEASE to a commit)' };
  return { commit: git('rev-parse', `${tag}^{commit}`) };
}

const previous = previousRelease();
if ('skip' in previous) console.warn(`[skip] the previous release's gateway beside this one: ${previous.skip}`);

describe.skipIf('skip' in previous)('the previous release\'s gateway beside this one, on one store', () => {
  const dialect = testDialects().at(-1)!;
  let platform: TestPlatform;
  let tree: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    const commit = (previous as { commit: string }).commit;
    tree = mkdtempSync(join(tmpdir(), 'govgraph-previous-'));
    execFileSync('sh', ['-c', `git archive --format=tar ${commit} | tar -x -C "${tree}"`], { cwd: root });
    symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'));
    // This release migrates the store and serves; the previous release's gateway joins it.
    platform = await startTestPlatform(dialect);
  }, 300_000);
  afterAll(async () => {
    child?.kill('SIGTERM');
    await platform?.close();
    await platform?.storage.cleanup();
    if (tree) rmSync(tree, { recursive: true, force: true });
  });

  it('both gateways answer the same read', async () => {
    expect(existsSync(join(tree, 'bin/govgraph.mjs')), 'the previous release has the govgraph command').toBe(true);
    const storage = platform.storage.config;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, HOME: process.env.HOME,
      DATA_DIR: platform.storage.dataDir, PORT: '0', HOST: '127.0.0.1',
      DATABASE_URL: storage.kind === 'postgres' ? storage.url : '',
      GOVGRAPH_SCHEMA_PREFIX: storage.kind === 'postgres' ? storage.schemaPrefix ?? '' : '',
    };
    child = spawn(process.execPath, ['bin/govgraph.mjs', 'gateway'], { cwd: tree, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the previous release's gateway did not start within 120 s:\n${output.join('')}`)), 120_000);
      const seen = (chunk: Buffer) => {
        output.push(chunk.toString());
        const match = /listening on (http:\/\/\S+)/.exec(output.join(''));
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child!.stdout!.on('data', seen);
      child!.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child!.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the previous release's gateway exited (${code}):\n${output.join('')}`));
      });
    });
    for (const gatewayUrl of [platform.gateway.url, new URL('/graphql', url).toString()]) {
      const { status, body } = await readPerson(gatewayUrl, platform);
      expect(status, gatewayUrl).toBe(200);
      expect(body.errors, gatewayUrl).toBeUndefined();
      expect(body.data.person.householdAddress).toBeTruthy();
    }
  }, 180_000);
});
