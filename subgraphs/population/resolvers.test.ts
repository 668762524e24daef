import { describe, expect, it } from 'vitest';
import { DemoWorld } from '../../demo/world.ts';
import { makeCitizenId } from '../../schema/identifiers.ts';
import { useSubgraphForTest } from '../runtime/testing.ts';
import { population } from './index.ts';
import { migrations } from './migrations.ts';
import { openDatabase } from '../../storage/database.ts';
import { migrateToLatest } from '../../storage/migrate.ts';
import { createTestStorage, testDialects } from '../../storage/testing.ts';
import { sameName } from './resolvers.ts';

const world = new DemoWorld({ persons: 300, legalEntities: 60, parcels: 120 });
/** Born before the demo world's first birth date: valid, but nobody's. */
const UNKNOWN_ID_NUMBER = makeCitizenId('440106', '1900-01-01', 1);
const VERIFY = `query($id: ID!, $name: String!) { verifyPerson(idNumber: $id, name: $name) { idNumberValid nameMatches alive } }`;

const subgraph = useSubgraphForTest(population, { world, grants: [{ id: 'g1', consumer: 'mca', coordinate: 'Person.household', purpose: 'ADMINISTRATIVE_BASIS', validFrom: '2020-01-01T00:00:00Z', validUntil: null, revokedAt: null }] });

const asVerifier = { consumer: 'hrss', purpose: 'DATA_VERIFICATION' };

describe('population subgraph: verification (核验, R7)', () => {
  it('answers yes when the number is registered and the name is the registered one', async () => {
    const living = Array.from({ length: world.size.persons }, (_, i) => world.person(i)).find((p) => !p.deceased)!;
    const { body } = await subgraph().query(VERIFY, { id: living.idNumber, name: living.name }, asVerifier);
    expect(body).toEqual({ data: { verifyPerson: { idNumberValid: true, nameMatches: true, alive: true } } });
  });

  it('says a registered person has died only to a caller who holds the number and the name', async () => {
    const dead = Array.from({ length: world.size.persons }, (_, i) => world.person(i)).find((p) => p.deceased);
    expect(dead, 'the demo world of 300 has a deceased person').toBeDefined();
    expect((await subgraph().query(VERIFY, { id: dead!.idNumber, name: dead!.name }, asVerifier)).body.data.verifyPerson).toEqual({ idNumberValid: true, nameMatches: true, alive: false });
    expect((await subgraph().query(VERIFY, { id: dead!.idNumber, name: '张三' }, asVerifier)).body.data.verifyPerson).toEqual({ idNumberValid: true, nameMatches: false, alive: null });
  });

  it('answers false on a mismatch and never returns the registered name', async () => {
    const person = world.person(0);
    const { body } = await subgraph().query(VERIFY, { id: person.idNumber, name: `${person.name}某` }, asVerifier);
    expect(body.data.verifyPerson).toEqual({ idNumberValid: true, nameMatches: false, alive: null });
    expect(JSON.stringify(body)).not.toContain(person.name);
  });

  it('answers no for an unregistered or malformed number, without an error that would tell them apart', async () => {
    for (const id of [UNKNOWN_ID_NUMBER, '44010619000101001X', 'not-a-number']) {
      const { body } = await subgraph().query(VERIFY, { id, name: world.person(0).name }, asVerifier);
      expect(body).toEqual({ data: { verifyPerson: { idNumberValid: false, nameMatches: false, alive: null } } });
    }
  });

  it('compares names as written on documents: spaces, full-width forms and the middle dot of transliterated names', async () => {
    expect(sameName('买买提·艾力', '买买提・艾力')).toBe(true);
    expect(sameName('买买提·艾力', '买买提 • 艾力')).toBe(true);
    expect(sameName('张 三', '张三')).toBe(true);
    expect(sameName('ＡＢＣ', 'ABC')).toBe(true);
    expect(sameName('张三', '张三丰')).toBe(false);
    expect(sameName('张三', '  ')).toBe(false);
    const person = world.person(1);
    expect((await subgraph().query(VERIFY, { id: person.idNumber, name: ` ${person.name.split('').join(' ')} ` }, asVerifier)).body.data.verifyPerson.nameMatches).toBe(true);
  });

  it('answers only a caller whose declared purpose is DATA_VERIFICATION', async () => {
    const person = world.person(0);
    const { body } = await subgraph().query(VERIFY, { id: person.idNumber, name: person.name }, { consumer: 'hrss', purpose: 'WORK_REFERENCE' });
    expect(body.data.verifyPerson).toEqual({ idNumberValid: null, nameMatches: null, alive: null });
    expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(body.errors.map((e: any) => e.extensions.coordinate).sort()).toEqual(['PersonVerification.alive', 'PersonVerification.idNumberValid', 'PersonVerification.nameMatches']);
  });
});

describe('population subgraph: household items', () => {
  it('lets a consumer granted Person.household read the household\'s items, which are classified', async () => {
    const person = world.person(0);
    const { body } = await subgraph().query(`query($id: ID!) { person(idNumber: $id) { household { householdNo address division { code } members { relation person { idNumber } } } } }`, { id: person.idNumber }, { consumer: 'mca', purpose: 'ADMINISTRATIVE_BASIS' });
    expect(body.errors).toBeUndefined();
    expect(body.data.person.household).toMatchObject({ householdNo: person.householdNo, address: expect.any(String) });
    expect(body.data.person.household.members.some((m: any) => m.person.idNumber === person.idNumber)).toBe(true);
  });
});

describe('population subgraph: freshness', () => {
  it('tells the gateway when the register last changed, and nobody else', async () => {
    const url = subgraph().url.replace(/\/graphql$/, '/freshness');
    expect((await fetch(url)).status).toBe(401);
    const res = await fetch(url, { headers: await subgraph().contextHeaders() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { subgraph: string; resources: Record<string, string> };
    expect(body.subgraph).toBe('population');
    expect(Object.keys(body.resources)).toEqual(['Person']);
    expect(Date.now() - Date.parse(body.resources.Person!)).toBeLessThan(10 * 60_000);
    expect((await fetch(url, { method: 'POST', headers: await subgraph().contextHeaders() })).status).toBe(405);
  });
});

describe('population subgraph: migration 002 on an existing register', () => {
  for (const dialect of testDialects()) {
    it(`adds households.updated_at and counts rows already there as changed when it ran (${dialect})`, async () => {
      const storage = createTestStorage(dialect);
      const opened = await openDatabase<any>(storage.config, 'population');
      try {
        await migrateToLatest(opened.db, { '001_household_register': migrations['001_household_register']! }, 'population', opened.schema);
        await opened.db.insertInto('households').values({ household_no: '440106000000001', division: '440106001', address: '天河路1号', head_id_number: world.person(0).idNumber }).execute();
        const before = Date.now();
        expect(await migrateToLatest(opened.db, migrations, 'population', opened.schema)).toEqual(['002_updated_at_for_freshness']);
        const row = await opened.db.selectFrom('households').select('updated_at').executeTakeFirstOrThrow();
        expect(Date.parse(row.updated_at)).toBeGreaterThanOrEqual(before - 1000);
        expect(await population.freshness!(opened.db)).toEqual({ Person: row.updated_at });
      } finally {
        await opened.close();
        await storage.cleanup();
      }
    });
  }
});
