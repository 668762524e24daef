/**
 * A department's database failing under a request: the caller learns that the subgraph failed
 * and under which incident id, not what the database said (table names, file paths, values);
 * the operators' log has the whole error under the same id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoWorld } from '../../demo/world.ts';
import { population } from '../population/index.ts';
import { startSubgraphForTest, type TestSubgraph } from './testing.ts';

describe('unexpected failures in a subgraph', () => {
  const world = new DemoWorld({ persons: 20, legalEntities: 5, parcels: 5 });
  const logged: string[] = [];
  let dataDir: string;
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'govgraph-failure-'));
    subgraph = await startSubgraphForTest(population, { storage: { kind: 'sqlite', dataDir }, world, log: (m) => logged.push(m) });
  });
  afterAll(async () => {
    await subgraph?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a broken database with an incident id, and logs what the database said', async () => {
    const PERSON = `query($id: ID!) { person(idNumber: $id) { name } }`;
    const before = await subgraph.query(PERSON, { id: world.person(0).idNumber });
    expect(before.body.data.person.name).toBe(world.person(0).name);

    // The department's table disappears under the running subgraph.
    const raw = new SQLite(join(dataDir, 'population.sqlite'));
    raw.pragma('foreign_keys = OFF');
    raw.exec('DROP TABLE persons');
    raw.close();

    const { body } = await subgraph.query(PERSON, { id: world.person(1).idNumber });
    expect(body.data.person).toBeNull();
    const [error] = body.errors;
    expect(error.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error.message).toMatch(/^internal error in the population subgraph; the operators can find it as incident [0-9a-f-]{36}$/);
    expect(error.path).toEqual(['person']);
    expect(JSON.stringify(body)).not.toMatch(/persons|sqlite|no such table|SqliteError/i);
    expect(logged.find((line) => line.includes(error.extensions.incident))).toMatch(/no such table: persons/);
  });

  it('passes errors written for the caller unchanged', async () => {
    const { body } = await subgraph.query(`{ person(idNumber: "123") { name } }`);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(/idNumber|citizen/i);
  });
});
